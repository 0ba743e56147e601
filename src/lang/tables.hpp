// Decision tables (issue 14): a parsed `table` becomes ordinary rules, one per
// row, named TABLE.1, TABLE.2, ... with the table's title and citation.
#pragma once

#include <vector>

#include "lang/ast.hpp"

namespace rulebook {

// Appends the rules of file.tables[table] to file.rules, in row order. A row's
// conditions are its cells, left to right, each the column's expression (cloned)
// tested against the cell, at the cell's position. `hit first` makes each row an
// exception to every row below it. Returns problems of shape (a row with the
// wrong number of cells, a table without columns or outputs).
std::vector<Diagnostic> desugar_table(ast::File& file, std::size_t table);

// A deep copy of an expression.
ast::ExprPtr clone_expr(const ast::Expr& e);

}  // namespace rulebook
