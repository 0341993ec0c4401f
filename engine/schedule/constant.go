package schedule

// Constant keeps the learning rate fixed:
//
//	α(e) = α0
//
// Its timing is irrelevant; every timing is accepted.
type Constant struct {
	Initial float64 // α0, the rate of every update; > 0
}

var _ Schedule = Constant{}

// LR returns Initial.
func (s Constant) LR(epoch, step int) float64 { return s.Initial }
