package optim

import (
	"strings"
	"testing"
)

// Every registered optimizer documents its update rule where Rule finds it.
func TestRule(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			rule, err := Rule(name)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(rule, "θ ←") {
				t.Errorf("rule of %s does not update θ:\n%s", name, rule)
			}
		})
	}
	if _, err := Rule("sgd"); err == nil {
		t.Error("Rule(sgd): no error")
	}
}
