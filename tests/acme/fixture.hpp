// Test helper: reads tests/fixtures/acme/<name> (recorded-style ACME responses).
#pragma once
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace certman::acme::test {
inline std::string fixture(const std::string& name) {
    std::ifstream in(std::string(CERTMAN_FIXTURES) + "/acme/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("missing fixture " + name);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}
}  // namespace certman::acme::test
