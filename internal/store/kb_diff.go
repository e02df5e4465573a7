package store

import "github.com/opsdesk/opsdesk/internal/opsdesk"

// maxDiffCells bounds the work of a diff (lines of a × lines of b after the common head and
// tail are set aside): about 16 MB of table. Past it, the middle shows as removed then added.
const maxDiffCells = 4_000_000

// diffLines is a line diff of a and b by longest common subsequence: lines kept, removed and
// added, in order, removals before additions where they replace each other. Articles are small
// (a few hundred lines) and a revision changes a few of them, so the common head and tail are
// set aside first and the quadratic table covers the changed middle only.
func diffLines(a, b []string) []opsdesk.DiffLine {
	var out []opsdesk.DiffLine
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		out = append(out, opsdesk.DiffLine{Op: opsdesk.DiffSame, Text: a[head]})
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	ma, mb := a[head:len(a)-tail], b[head:len(b)-tail]
	out = append(out, diffMiddle(ma, mb)...)
	for _, l := range a[len(a)-tail:] {
		out = append(out, opsdesk.DiffLine{Op: opsdesk.DiffSame, Text: l})
	}
	return out
}

// diffMiddle diffs two runs of lines that differ at both ends.
func diffMiddle(a, b []string) []opsdesk.DiffLine {
	var out []opsdesk.DiffLine
	del := func(l string) { out = append(out, opsdesk.DiffLine{Op: opsdesk.DiffDelete, Text: l}) }
	ins := func(l string) { out = append(out, opsdesk.DiffLine{Op: opsdesk.DiffInsert, Text: l}) }
	n, m := len(a), len(b)
	if n*m > maxDiffCells || n == 0 || m == 0 {
		for _, l := range a {
			del(l)
		}
		for _, l := range b {
			ins(l)
		}
		return out
	}
	// lcs[i][j] is the length of the longest common subsequence of a[i:] and b[j:].
	w := m + 1
	lcs := make([]int32, (n+1)*w)
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case a[i] == b[j]:
			out = append(out, opsdesk.DiffLine{Op: opsdesk.DiffSame, Text: a[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			del(a[i])
			i++
		default:
			ins(b[j])
			j++
		}
	}
	for ; i < n; i++ {
		del(a[i])
	}
	for ; j < m; j++ {
		ins(b[j])
	}
	return out
}
