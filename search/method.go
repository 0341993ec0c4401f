package search

// Method proposes the configurations of a space, ask and tell: Propose
// returns the next configuration to try, and Tell says what became of it.
//
// Propose returns false when the method proposes no more. After each
// configuration it returns, the caller calls Tell once: kept is false when
// the caller rejected the configuration or it repeats one kept before
// (after the experiment filled its defaults), and a method that aims at a
// number of distinct configurations, such as [Random], proposes another in
// its place. The sequence of proposals depends only on the space, the
// method's settings and what it has been told.
type Method interface {
	Propose() (Configuration, bool)
	Tell(kept bool)
}
