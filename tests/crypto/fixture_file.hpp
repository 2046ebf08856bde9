// Test helper: the bytes of a file under tests/fixtures/ (CERTMAN_FIXTURES is set by CMake).
#pragma once
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace certman::test {
inline std::string fixture_file(const std::string& relative) {
    std::ifstream in(std::string(CERTMAN_FIXTURES) + "/" + relative, std::ios::binary);
    if (!in) throw std::runtime_error("missing fixture " + relative);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}
}  // namespace certman::test
