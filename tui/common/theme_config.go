package common

import (
	"fmt"
	"image/color"
	"reflect"

	"charm.land/lipgloss/v2"
)

// ThemeColors returns the names of the theme's colours, in snake case as
// a settings file writes them: text, muted, dir, accent, on_accent, ...
func ThemeColors() []string {
	t := reflect.TypeFor[Theme]()
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		out = append(out, snake(t.Field(i).Name))
	}
	return out
}

// SetColor sets the theme's colour name ("accent", "on_selection") to
// value: "#rrggbb", "#rgb" or an ANSI colour number.
func (t *Theme) SetColor(name, value string) error {
	v := reflect.ValueOf(t).Elem()
	for i := range v.NumField() {
		if snake(v.Type().Field(i).Name) == name {
			v.Field(i).Set(reflect.ValueOf(lipgloss.Color(value)).Convert(reflect.TypeFor[color.Color]()))
			return nil
		}
	}
	return fmt.Errorf("unknown colour %q (the theme's colours: %v)", name, ThemeColors())
}
