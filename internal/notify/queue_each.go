package notify

import (
	"errors"
	"fmt"
)

// queueEach queues the mails of each item with queue, which returns how many mails it added: an
// item that fails is reported and the others still go. It wakes the sender when mails were
// added, and returns how many items were handled.
func queueEach[T any](n *Notifier, items []T, queue func(T) (int, error)) (int, error) {
	done, added := 0, 0
	var errs []error
	for _, it := range items {
		k, err := queue(it)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		done, added = done+1, added+k
	}
	if added > 0 {
		n.wake()
	}
	return done, errors.Join(errs...)
}

// wrapf gives err the context of what failed; nil stays nil.
func wrapf(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}
