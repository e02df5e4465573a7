package plan

// Weights are every number of the priority score, in one place. Scores are
// integer points; a higher score ranks first. DefaultWeights documents the
// shipped values and the orderings they guarantee (tested in score_test.go).
type Weights struct {
	// Severity gives the points of a ticket's severity rank: Severity[0] for
	// rank 1 (most severe) .. Severity[4] for rank 5.
	Severity [5]int64
	// EnvPercent scales the severity and SLA points by environment kind
	// (severity × environment): prod, preprod, test, and none.
	EnvPercent map[string]int64
	// SLABreached and SLANear are the SLA points of a clock that is past
	// its target, or within SLANearPercent of its target; SLARunning is the
	// most a running clock earns otherwise, in proportion to the time used.
	// All are scaled by EnvPercent.
	SLABreached, SLANear, SLARunning int64
	SLANearPercent                   int64
	// BlockingProdAtRisk is added to a rank-1 production ticket whose SLA is
	// breached or near: larger than any other score can reach, it puts such
	// a ticket above everything else.
	BlockingProdAtRisk int64
	// Tier gives the points of the customer's contract tier.
	Tier map[string]int64
	// Priority gives the points of a project's agreed priority;
	// UnagreedPercent scales them while both sides have not agreed.
	Priority        map[string]int64
	UnagreedPercent int64
	// DeadlineOverdue is the deadline points of an overdue task; Deadline
	// lists steps by business hours left (first step that holds wins).
	DeadlineOverdue int64
	Deadline        []DeadlineStep
	// Preventive is the base points of an occurrence of preventive work; its
	// due day then scores on the Deadline steps like a task's deadline.
	Preventive int64
	// AgePerDay points per full day of age, at most AgeCap: age adds slowly.
	AgePerDay, AgeCap int64
}

// DeadlineStep gives Points to a task with at most WithinHours business
// hours left before its deadline.
type DeadlineStep struct {
	WithinHours int64
	Points      int64
}

// DefaultWeights returns the shipped weights. With them:
//   - a rank-1 prod ticket with a breached or near SLA outranks every other
//     item (BlockingProdAtRisk = 10000, while no other item reaches 1200);
//   - a task due within two business days on a critical agreed project
//     (300 + 400 = 700) outranks a minor (rank 4) test ticket even breached,
//     premium and old (15 + 180 + 50 + 60 = 305);
//   - an occurrence of preventive work scores 60 + its deadline points + age
//     (at most 620), like a task of an agreed normal-priority project;
//   - age adds one point a day, at most 60.
func DefaultWeights() Weights {
	return Weights{
		Severity:           [5]int64{400, 250, 120, 50, 20},
		EnvPercent:         map[string]int64{"prod": 100, "preprod": 60, "test": 30, "": 50},
		SLABreached:        600,
		SLANear:            400,
		SLARunning:         200,
		SLANearPercent:     20,
		BlockingProdAtRisk: 10000,
		Tier:               map[string]int64{"standard": 0, "premium": 50, "critical": 100},
		Priority:           map[string]int64{"low": 20, "normal": 60, "high": 150, "critical": 300},
		UnagreedPercent:    50,
		DeadlineOverdue:    500,
		Deadline:           []DeadlineStep{{16, 400}, {40, 200}, {80, 80}},
		Preventive:         60,
		AgePerDay:          1,
		AgeCap:             60,
	}
}
