package main

import (
	"fmt"

	"github.com/ferry-tui/ferry/settings"
	"github.com/ferry-tui/ferry/tui/common"
	"github.com/spf13/cobra"
)

// newConfigCmd builds ferry config: path and defaults.
func (a *app) newConfigCmd(code *int) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "show where ferry's settings file is and what it can say",
		Long: `ferry reads its settings from $XDG_CONFIG_HOME/ferry/config.toml (default
~/.config/ferry/config.toml), if the file exists. A mistake anywhere in it,
an unknown setting too, stops ferry with the file and line.`,
		Args:              exactOperands(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:               "path",
		Short:             "print where the settings file is (it may not exist)",
		Args:              exactOperands(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			p := a.settingsPath()
			if p == "" {
				fmt.Fprintln(a.stderr, "ferry config path: no config directory: set XDG_CONFIG_HOME or HOME")
				*code = exitFailed
				return nil
			}
			fmt.Fprintln(a.stdout, p)
			return nil
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:               "defaults",
		Short:             "print a settings file with every setting at its default, commented out",
		Args:              exactOperands(0),
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprint(a.stdout, settings.DefaultFile(defaultBindings()))
			return nil
		},
	})
	return cmd
}

// defaultBindings lists every action with its keys in the mc preset.
func defaultBindings() []settings.Binding {
	km := common.DefaultKeyMap()
	acts := common.Actions()
	out := make([]settings.Binding, 0, len(acts))
	for _, a := range acts {
		out = append(out, settings.Binding{Action: a, Keys: km.Keys(a)})
	}
	return out
}
