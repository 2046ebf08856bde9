// Test helper for the policy tests: a point in time written as RFC 3339 text, so that cases read as dates
// (`at("2026-01-10T00:00:00Z")`). Aborts the test on a malformed literal (result::value throws).
#pragma once
#include <chrono>
#include "certman/core/rfc3339.hpp"

namespace certman::test {
inline std::chrono::sys_seconds at(const char* text) { return certman::parse_rfc3339(text).value(); }
}  // namespace certman::test
