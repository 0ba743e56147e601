# Turns docs/diagnostics.md into a C++ byte array for `rulebook explain`
# (src/authoring/explain.hpp), so the binary needs nothing on disk to explain a code.
#   cmake -DIN=docs/diagnostics.md -DOUT=diagnostics_doc.cpp -P embed_doc.cmake
cmake_minimum_required(VERSION 3.25)
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n    " bytes "${bytes}")
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
file(WRITE "${OUT}.tmp" "// Generated from docs/diagnostics.md by src/authoring/embed_doc.cmake. Do not edit.
#include \"authoring/explain.hpp\"

namespace rulebook::authoring {
namespace {
constexpr unsigned char doc[] = {
    ${bytes}0x00};
}  // namespace

std::string_view diagnostics_doc() { return {reinterpret_cast<const char*>(doc), ${size}}; }

}  // namespace rulebook::authoring
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
