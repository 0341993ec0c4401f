package experiments

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/optbench/optbench/engine"
	"github.com/optbench/optbench/engine/hparam"
	"github.com/optbench/optbench/engine/nn"
)

// Names of the architectures, the values of the architecture setting.
const (
	ArchMLP    = "mlp"    // fully connected: hidden widths, and the MLP settings (activation, init, l2, …)
	ArchCNN    = "cnn"    // the course's convolutional network with batch norm (nn.CNN)
	Arch2C2D   = "2c2d"   // DeepOBS's fmnist_2c2d (nn.TwoConvTwoDense)
	ArchResNet = "resnet" // a ResNet of basic blocks (nn.ResNet)
)

// Architecture is a named network architecture with its settings: the
// value of an image experiment's architecture setting. Its canonical
// text, which trials store and key, is the name followed by every setting
// in a fixed order, lists joined by "x":
//
//	mlp(hidden=64)
//	cnn(channels=8x16,kernel=3,convs=1,pool=2)
//	2c2d
//	resnet(blocks=3x3x3,channels=16x32x64)
//
// ParseArchitecture reads it back, so a stored trial rebuilds its network.
type Architecture struct {
	Name     string
	Hidden   []int // mlp: hidden widths
	Channels []int // cnn: output channels of each block; resnet: channels of each stage
	Kernel   int   // cnn: the convolutions' size, odd
	Convs    int   // cnn: convolutions per block
	Pool     int   // cnn: the max-pool's window and stride
	Blocks   []int // resnet: basic blocks per stage
}

// ArchitectureNames are the architectures an image experiment builds.
func ArchitectureNames() []string { return []string{ArchMLP, ArchCNN, Arch2C2D, ArchResNet} }

// maxStages bounds the blocks of a cnn and the stages of a resnet, and
// maxBlocks a stage's basic blocks: a typo cannot ask for a network that
// takes hours to plan.
const (
	maxStages = 8
	maxBlocks = 64
)

// ArchitectureSettings returns the settings of the named architecture, in
// canonical order, with their ranges. Defaults are the nn builders';
// an experiment's default architecture overrides them for its own name.
func ArchitectureSettings(name string) ([]Param, error) {
	intSetting := func(name string, def, lo, hi float64, doc string) Param {
		return Param{Name: name, Kind: Integer, Spec: hparam.Spec{Name: name, Default: def, Min: lo, Max: hi, Integer: true}, Doc: doc}
	}
	switch name {
	case ArchMLP:
		return []Param{{Name: "hidden", Kind: IntList, Default: []float64{16, 16}, Doc: "hidden layer widths"}}, nil
	case ArchCNN:
		return []Param{
			{Name: "channels", Kind: IntList, Default: []float64{16, 32},
				Doc: "output channels of each block's convolutions; one block per entry, each ending in a max-pool"},
			intSetting("kernel", 5, 1, 15, "size of the convolutions (odd; padding kernel/2 keeps the image size)"),
			intSetting("convs", 2, 1, 8, "convolutions per block, each followed by BatchNorm2d and LeakyReLU"),
			intSetting("pool", 2, 1, 8, "window and stride of each block's max-pool"),
		}, nil
	case Arch2C2D:
		return nil, nil
	case ArchResNet:
		return []Param{
			{Name: "blocks", Kind: IntList, Default: []float64{3, 3, 3},
				Doc: "basic blocks per stage (ResNet-20: [3, 3, 3]; the course's ResNet-18 layout: [2, 2, 2, 2])"},
			{Name: "channels", Kind: IntList, Default: []float64{16, 32, 64},
				Doc: "channels of each stage (as many as blocks); every stage after the first halves the image with stride 2"},
		}, nil
	}
	return nil, fmt.Errorf("architecture: unknown name %q (valid: %s)", name, strings.Join(ArchitectureNames(), ", "))
}

// NewArchitecture builds an architecture from its name and given
// settings (numbers float64, lists []float64), each checked; a setting
// not given takes its value from def when def has the same name, else the
// default of ArchitectureSettings.
func NewArchitecture(name string, given engine.Params, def *Architecture) (Architecture, error) {
	specs, err := ArchitectureSettings(name)
	if err != nil {
		return Architecture{}, err
	}
	var valid []string
	for _, p := range specs {
		valid = append(valid, p.Name)
	}
	for _, k := range given.Names() {
		if !slices.Contains(valid, k) {
			return Architecture{}, fmt.Errorf("%s: %s", name, noSetting(name, k, valid))
		}
	}
	a := Architecture{Name: name}
	base := map[string]any{}
	if def != nil && def.Name == name {
		base = def.settings()
	}
	for _, p := range specs {
		v, ok := given[p.Name]
		if !ok {
			if v, ok = base[p.Name]; !ok {
				v = p.defaultValue()
			}
		}
		if err := p.Check(v); err != nil {
			return Architecture{}, fmt.Errorf("%s: %w", name, err)
		}
		a.set(p.Name, v)
	}
	return a, a.check()
}

// noSetting says that name has no setting k.
func noSetting(name, k string, valid []string) string {
	if len(valid) == 0 || (len(valid) == 1 && valid[0] == "name") {
		return fmt.Sprintf("unknown setting %q; %s has no settings", k, name)
	}
	return fmt.Sprintf("unknown setting %q%s (valid: %s)", k, Suggest(k, valid), strings.Join(valid, ", "))
}

func (a *Architecture) set(name string, v any) {
	ints := func() []int {
		l := v.([]float64)
		out := make([]int, len(l))
		for i, f := range l {
			out[i] = int(f)
		}
		return out
	}
	switch name {
	case "hidden":
		a.Hidden = ints()
	case "channels":
		a.Channels = ints()
	case "blocks":
		a.Blocks = ints()
	case "kernel":
		a.Kernel = int(v.(float64))
	case "convs":
		a.Convs = int(v.(float64))
	case "pool":
		a.Pool = int(v.(float64))
	}
}

// settings returns a's settings by name, in the types Params hold.
func (a Architecture) settings() map[string]any {
	floats := func(l []int) []float64 {
		out := make([]float64, len(l))
		for i, n := range l {
			out[i] = float64(n)
		}
		return out
	}
	switch a.Name {
	case ArchMLP:
		return map[string]any{"hidden": floats(a.Hidden)}
	case ArchCNN:
		return map[string]any{"channels": floats(a.Channels), "kernel": float64(a.Kernel), "convs": float64(a.Convs), "pool": float64(a.Pool)}
	case ArchResNet:
		return map[string]any{"blocks": floats(a.Blocks), "channels": floats(a.Channels)}
	}
	return map[string]any{}
}

// check tests the rules between settings and the bounds on depth.
func (a Architecture) check() error {
	switch a.Name {
	case ArchCNN:
		if a.Kernel%2 == 0 {
			return fmt.Errorf("cnn: kernel = %d must be odd, so that padding kernel/2 keeps the image size", a.Kernel)
		}
		if len(a.Channels) == 0 || len(a.Channels) > maxStages {
			return fmt.Errorf("cnn: channels has %d blocks; want 1 to %d", len(a.Channels), maxStages)
		}
	case ArchResNet:
		if len(a.Blocks) == 0 || len(a.Blocks) > maxStages {
			return fmt.Errorf("resnet: blocks has %d stages; want 1 to %d", len(a.Blocks), maxStages)
		}
		if len(a.Channels) != len(a.Blocks) {
			return fmt.Errorf("resnet: %d stages of blocks but %d of channels; give one width per stage",
				len(a.Blocks), len(a.Channels))
		}
		for i, b := range a.Blocks {
			if b > maxBlocks {
				return fmt.Errorf("resnet: blocks[%d] = %d; at most %d basic blocks per stage", i, b, maxBlocks)
			}
		}
	}
	return nil
}

// String returns the canonical text of a.
func (a Architecture) String() string {
	specs, _ := ArchitectureSettings(a.Name)
	if len(specs) == 0 {
		return a.Name
	}
	set := a.settings()
	parts := make([]string, len(specs))
	for i, p := range specs {
		parts[i] = p.Name + "=" + engine.FormatValue(set[p.Name])
	}
	return a.Name + "(" + strings.Join(parts, ",") + ")"
}

// ParseArchitecture reads an architecture written as its name alone
// ("cnn", every setting at its default or def's) or as canonical text
// with some or all settings ("cnn(channels=8x16,kernel=3)"), and
// completes it as NewArchitecture does.
func ParseArchitecture(s string, def *Architecture) (Architecture, error) {
	name, given, err := ParseArchitectureSettings(s)
	if err != nil {
		return Architecture{}, err
	}
	return NewArchitecture(name, given, def)
}

// ParseArchitectureSettings reads the name and the settings written in
// an architecture's text, each checked against its range, without
// completing the others.
func ParseArchitectureSettings(s string) (name string, given engine.Params, err error) {
	s = strings.TrimSpace(s)
	name, rest, hasArgs := strings.Cut(s, "(")
	name = strings.TrimSpace(name)
	specs, err := ArchitectureSettings(name)
	if err != nil {
		return "", nil, fmt.Errorf("architecture: unknown name %q%s (valid: %s)", name,
			Suggest(name, ArchitectureNames()), strings.Join(ArchitectureNames(), ", "))
	}
	given = engine.Params{}
	if !hasArgs {
		return name, given, nil
	}
	body, ok := strings.CutSuffix(rest, ")")
	if !ok || strings.ContainsAny(body, "()") {
		return "", nil, fmt.Errorf("architecture %q: want name(setting=value,…), such as cnn(channels=8x16,kernel=3)", s)
	}
	if strings.TrimSpace(body) == "" {
		return name, given, nil
	}
	var valid []string
	for _, p := range specs {
		valid = append(valid, p.Name)
	}
	for _, part := range strings.Split(body, ",") {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return "", nil, fmt.Errorf("architecture %q: %q is not setting=value", s, part)
		}
		if _, dup := given[k]; dup {
			return "", nil, fmt.Errorf("architecture %q: %s is given twice", s, k)
		}
		i := slices.IndexFunc(specs, func(p Param) bool { return p.Name == k })
		if i < 0 {
			return "", nil, fmt.Errorf("architecture %s: %s", name, noSetting(name, k, valid))
		}
		val, err := parseSettingValue(specs[i], v)
		if err == nil {
			err = specs[i].Check(val)
		}
		if err != nil {
			return "", nil, fmt.Errorf("architecture %s: %w", name, err)
		}
		given[k] = val
	}
	return name, given, nil
}

// FormatArchitecture writes an architecture's name and the settings
// given, in canonical order: "cnn" or "cnn(channels=8x16,kernel=3)".
// Settings the architecture does not have are left out.
func FormatArchitecture(name string, given engine.Params) string {
	specs, _ := ArchitectureSettings(name)
	var parts []string
	for _, p := range specs {
		if v, ok := given[p.Name]; ok {
			parts = append(parts, p.Name+"="+engine.FormatValue(v))
		}
	}
	if len(parts) == 0 {
		return name
	}
	return name + "(" + strings.Join(parts, ",") + ")"
}

// parseSettingValue reads a number, or a list joined by "x" (16x32).
func parseSettingValue(p Param, v string) (any, error) {
	if p.Kind == IntList || p.Kind == List {
		parts := strings.Split(v, "x")
		if len(parts) > MaxArchitectureList {
			return nil, fmt.Errorf("%s: a list of %d numbers; at most %d", p.Name, len(parts), MaxArchitectureList)
		}
		out := make([]float64, len(parts))
		for i, s := range parts {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
				return nil, fmt.Errorf("%s: %q is not a list of numbers joined by x (such as 16x32)", p.Name, v)
			}
			out[i] = f
		}
		return out, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("%s: %q is not a number", p.Name, v)
	}
	return f, nil
}

// MaxArchitectureList bounds a list setting of an architecture.
const MaxArchitectureList = 64

// Layers returns the layers of a for classes outputs (not mlp, which is
// nn.Network's; see Experiment.network).
func (a Architecture) Layers(classes int) []nn.Layer {
	switch a.Name {
	case ArchCNN:
		return nn.CNN(nn.CNNConfig{Channels: a.Channels, Kernel: a.Kernel, Convs: a.Convs, Pool: a.Pool}, classes)
	case Arch2C2D:
		return nn.TwoConvTwoDense(classes)
	case ArchResNet:
		return nn.ResNet(nn.ResNetConfig{Blocks: a.Blocks, Channels: a.Channels}, classes)
	}
	panic("experiments: no layers for architecture " + a.Name)
}

// architectureParam is the architecture setting of an image experiment
// whose default is def (canonical text). optional keeps it out of the
// resolved parameters, and so of trial keys, when a trial does not give
// it: for experiments whose trials were stored before it existed, whose
// network is then the MLP of hidden.
func architectureParam(def string, optional bool) Param {
	return Param{Name: "architecture", Kind: ArchitectureKind, Default: def, Optional: optional,
		Doc: "the network: mlp (hidden), cnn (channels, kernel, convs, pool: the course's network), 2c2d " +
			"(DeepOBS's fmnist_2c2d) or resnet (blocks, channels); a name, name(setting=value,…), or in a sweep " +
			"file {name: cnn, channels: [8, 16]}. Architectures other than mlp take none of the MLP settings " +
			"(hidden, activation, init, init_scale, leaky_slope, keep_prob, l2, l1, batch_norm, clamp_log, reduction)"}
}

// mlpOnly are the settings of nn.Network that the layer architectures
// (cnn, 2c2d, resnet) do not take.
var mlpOnly = []string{"hidden", "activation", "init", "init_scale", "leaky_slope", "keep_prob", "l2", "l1",
	"batch_norm", "clamp_log", "reduction"}

// resolveArchitecture completes a trial's architecture setting into its
// canonical text and settles the MLP settings: under mlp the
// architecture's hidden is the hidden parameter (given both, they must
// agree); under another architecture the MLP settings are dropped from
// the resolved parameters, and one the trial gives is an error.
func (e *Experiment) resolveArchitecture(given, out engine.Params) error {
	s, ok := out.String("architecture")
	if !ok {
		return nil
	}
	var def *Architecture
	if d, ok := e.Defaults["architecture"].(string); ok {
		if a, err := ParseArchitecture(d, nil); err == nil {
			def = &a
		}
	}
	if def == nil {
		// The MLP's widths default to the experiment's hidden.
		if h, ok := e.Defaults["hidden"].([]float64); ok {
			def = &Architecture{Name: ArchMLP}
			def.set("hidden", h)
		}
	}
	a, err := ParseArchitecture(s, def)
	if err != nil {
		return &ParamError{"architecture", err}
	}
	if a.Name == ArchMLP {
		if h, ok := given.List("hidden"); ok {
			if _, withWidths := parseGivenSettings(s)["hidden"]; withWidths && !slices.Equal(h, a.settings()["hidden"].([]float64)) {
				return &ParamError{"hidden", fmt.Errorf("hidden %s and architecture %s disagree; give the widths once",
					engine.FormatValue(h), a)}
			}
			a.set("hidden", h)
		}
		out["hidden"] = a.settings()["hidden"]
	} else {
		for _, k := range mlpOnly {
			if _, ok := given[k]; ok {
				return &ParamError{k, fmt.Errorf("%s does not apply to architecture %s: it is a setting of the mlp; "+
					"regularize with an optimizer's weight decay (adamw) instead of l2", k, a.Name)}
			}
			delete(out, k)
		}
	}
	out["architecture"] = a.String()
	return nil
}

// parseGivenSettings returns the names of the settings written in the
// canonical text s (none for a bare name).
func parseGivenSettings(s string) map[string]bool {
	out := map[string]bool{}
	_, rest, ok := strings.Cut(s, "(")
	if !ok {
		return out
	}
	for _, part := range strings.Split(strings.TrimSuffix(rest, ")"), ",") {
		if k, _, ok := strings.Cut(part, "="); ok {
			out[strings.TrimSpace(k)] = true
		}
	}
	return out
}

// architectureOf returns the parsed architecture of resolved parameters,
// or false when they have none (the MLP of hidden).
func architectureOf(p engine.Params) (Architecture, bool) {
	s, ok := p.String("architecture")
	if !ok {
		return Architecture{}, false
	}
	a, err := ParseArchitecture(s, nil)
	if err != nil {
		return Architecture{}, false
	}
	return a, true
}

// MLPSetting reports whether the parameter name is a setting of the
// fully connected network only, which the layer architectures do not
// take.
func MLPSetting(name string) bool { return slices.Contains(mlpOnly, name) }

// Layered reports whether the experiment's default network is a layer
// architecture (cnn, 2c2d, resnet) rather than the MLP.
func (e *Experiment) Layered() bool {
	s, ok := e.Defaults["architecture"].(string)
	if !ok {
		return false
	}
	name, _, err := ParseArchitectureSettings(s)
	return err == nil && name != ArchMLP
}
