package schedule

import "testing"

// Every registered schedule documents its formula where Rule finds it.
func TestRule(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			rule, err := Rule(name)
			if err != nil {
				t.Fatal(err)
			}
			if rule == "" {
				t.Errorf("no formula for %s", name)
			}
			t.Logf("%s:\n%s", name, rule)
		})
	}
}
