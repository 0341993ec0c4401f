package hparam

import (
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
)

// Rule returns the update rule of a component from its own doc comment, so
// that help text and the code's documentation cannot disagree: the first
// indented (code) block of the doc comment of the first type declared in
// file that has one. The house style keeps one component per file, named
// as config files name it, with its rule in such a block. fsys holds the
// package's source (an embed.FS).
func Rule(fsys fs.FS, file string) (string, error) {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return "", fmt.Errorf("hparam: rule: %w", err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), file, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return "", fmt.Errorf("hparam: rule: %w", err)
	}
	var p comment.Parser
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE || gd.Doc == nil {
			continue
		}
		for _, b := range p.Parse(gd.Doc.Text()).Content {
			if code, ok := b.(*comment.Code); ok {
				return strings.TrimRight(code.Text, "\n"), nil
			}
		}
	}
	return "", fmt.Errorf("hparam: rule: no type in %s documents its rule in an indented block", file)
}
