package store

// SetRecomputeRead has f run in each transaction of a recompute once its batch is read and
// planned, until the returned function is called.
func SetRecomputeRead(f func()) (restore func()) {
	recomputeRead = f
	return func() { recomputeRead = nil }
}
