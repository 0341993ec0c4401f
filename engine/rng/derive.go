package rng

// Derive returns the seed of the named random stream of a trial, so that
// data generation, weight initialisation, shuffling, dropout and search each
// draw from their own generator and changing how much one of them draws
// leaves the others untouched:
//
//	h    = FNV-1a-64(stream)                          (UTF-8 bytes of the name)
//	x    = splitmix64(splitmix64(seed) XOR h)
//	Derive(seed, stream) = uint32(x >> 32)
//
// where splitmix64(z) is one step of Vigna's SplitMix64 generator:
//
//	z += 0x9e3779b97f4a7c15
//	z  = (z XOR z>>30) · 0xbf58476d1ce4e5b9
//	z  = (z XOR z>>27) · 0x94d049bb133111eb
//	return z XOR z>>31
//
// The algorithm is part of the results' meaning: stored trials name a seed,
// and their data and initial weights are reproduced from it. It must never
// change; the golden values in derive_test.go guard it.
func Derive(seed uint64, stream string) uint32 {
	const (
		fnvOffset = 14695981039346656037
		fnvPrime  = 1099511628211
	)
	h := uint64(fnvOffset)
	for i := 0; i < len(stream); i++ {
		h ^= uint64(stream[i])
		h *= fnvPrime
	}
	return uint32(splitmix64(splitmix64(seed)^h) >> 32)
}

func splitmix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
