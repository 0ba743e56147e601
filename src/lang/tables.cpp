// Decision tables (issue 14): rows to rules. See tables.hpp.
#include "lang/tables.hpp"

#include <string>

namespace rulebook {

ast::ExprPtr clone_expr(const ast::Expr& e) {
  auto c = std::make_unique<ast::Expr>();
  c->kind = e.kind;
  c->op = e.op;
  c->pos = e.pos;
  c->source = e.source;
  c->text = e.text;
  c->literal = e.literal;
  c->variable = e.variable;
  c->variable_pos = e.variable_pos;
  c->value_at = e.value_at;
  c->where_at = e.where_at;
  c->else_at = e.else_at;
  for (const auto& k : e.children) c->children.push_back(k ? clone_expr(*k) : nullptr);
  return c;
}

namespace {

// `column OP value`, at the cell's position, reading as the cell does in an explanation.
ast::ExprPtr compare(const ast::Expr& column, ast::BinOp op, const ast::Expr& value, const SourcePos& pos) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = ast::ExprKind::binary;
  e->op = op;
  e->pos = pos;
  const char* word = op == ast::BinOp::in ? "one of" : op == ast::BinOp::ne ? "is not" : ast::binop_symbol(op);
  e->source = column.source + " " + word + " " + value.source;
  e->children.push_back(clone_expr(column));
  e->children.push_back(clone_expr(value));
  return e;
}

void error(std::vector<Diagnostic>& out, const char* code, const SourcePos& pos, std::string message) {
  Diagnostic d;
  d.code = code;
  d.pos = pos;
  d.message = std::move(message);
  out.push_back(std::move(d));
}

}  // namespace

std::vector<Diagnostic> desugar_table(ast::File& file, std::size_t index) {
  using K = ast::TableCell::Kind;
  using ast::BinOp;
  std::vector<Diagnostic> out;
  const ast::Table& t = file.tables[index];
  if (t.given.empty() || t.then.empty()) {
    error(out, "table-shape", t.pos, "table " + t.name + " needs 'given' columns and 'then' outputs before its rows");
    return out;
  }
  const std::size_t first_rule = file.rules.size();
  for (std::size_t k = 0; k < t.rows.size(); ++k) {
    const ast::TableRow& row = t.rows[k];
    if (row.inputs.size() != t.given.size() || row.outputs.size() != t.then.size()) {
      error(out, "table-row-width", row.pos,
            "this row has " + std::to_string(row.inputs.size()) + " cells before '=>' and " +
                std::to_string(row.outputs.size()) + " after; table " + t.name + " has " +
                std::to_string(t.given.size()) + " columns and " + std::to_string(t.then.size()) + " outputs");
      continue;
    }
    ast::Rule r;
    r.name = t.name + "." + std::to_string(k + 1);
    r.title = t.title;
    r.pos = row.pos;
    r.cite = t.cite;
    r.table = static_cast<int>(index);
    r.row = static_cast<uint32_t>(k);
    for (std::size_t c = 0; c < row.inputs.size(); ++c) {
      const ast::TableCell& cell = row.inputs[c];
      const ast::Expr& column = *t.given[c];
      switch (cell.kind) {
        case K::any: break;
        case K::eq: r.conditions.push_back(compare(column, BinOp::eq, *cell.a, cell.pos)); break;
        case K::lt: r.conditions.push_back(compare(column, BinOp::lt, *cell.a, cell.pos)); break;
        case K::le: r.conditions.push_back(compare(column, BinOp::le, *cell.a, cell.pos)); break;
        case K::gt: r.conditions.push_back(compare(column, BinOp::gt, *cell.a, cell.pos)); break;
        case K::ge: r.conditions.push_back(compare(column, BinOp::ge, *cell.a, cell.pos)); break;
        case K::range:
          r.conditions.push_back(compare(column, BinOp::ge, *cell.a, cell.pos));
          r.conditions.push_back(compare(column, BinOp::le, *cell.b, cell.b->pos));
          break;
        case K::one_of: r.conditions.push_back(compare(column, BinOp::in, *cell.a, cell.pos)); break;
        case K::not_: r.conditions.push_back(compare(column, BinOp::ne, *cell.a, cell.pos)); break;
      }
    }
    for (std::size_t o = 0; o < row.outputs.size(); ++o) {
      ast::Assignment a;
      a.target = t.then[o].name;
      a.pos = row.outputs[o]->pos;
      a.value = clone_expr(*row.outputs[o]);
      r.assignments.push_back(std::move(a));
    }
    file.rules.push_back(std::move(r));
  }
  // `hit first`: each row is an exception to every row below it.
  if (t.hit == "first") {
    for (std::size_t a = first_rule; a < file.rules.size(); ++a) {
      for (std::size_t b = a + 1; b < file.rules.size(); ++b) {
        file.rules[a].exception_to.push_back({file.rules[b].name, file.rules[a].pos});
      }
    }
  }
  return out;
}

}  // namespace rulebook
