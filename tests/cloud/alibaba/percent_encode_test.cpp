#include <doctest/doctest.h>

#include "certman/cloud/alibaba/percent_encode.hpp"

using namespace certman::cloud::alibaba;

TEST_CASE("percent_encode: RFC 3986 unreserved kept, everything else %XY uppercase") {
    struct row { std::string in; const char* out; const char* path_out; };
    const row rows[] = {
        {"", "", ""},
        {"AZaz09-_.~", "AZaz09-_.~", "AZaz09-_.~"},
        {" ", "%20", "%20"},             // never '+'
        {"+", "%2B", "%2B"},
        {"*", "%2A", "%2A"},             // form-encoding leaves '*': the signers must not
        {"~", "~", "~"},                 // form-encoding writes %7E: the signers must not
        {"/", "%2F", "/"},
        {"=&:", "%3D%26%3A", "%3D%26%3A"},
        {"%", "%25", "%25"},
        {"a b/c", "a%20b%2Fc", "a%20b/c"},
        {"\xc3\xa9", "%C3%A9", "%C3%A9"},  // é as UTF-8 bytes, uppercase hex
        {std::string("\0\x7f\xff", 3), "%00%7F%FF", "%00%7F%FF"},
        {"2016-02-23T12:46:24Z", "2016-02-23T12%3A46%3A24Z", "2016-02-23T12%3A46%3A24Z"},
        {"\n", "%0A", "%0A"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.in);
        CHECK(percent_encode(r.in) == r.out);
        CHECK(percent_encode_path(r.in) == r.path_out);
    }
}

TEST_CASE("percent_encode: every byte outside the unreserved set is encoded") {
    for (int c = 0; c < 256; ++c) {
        const std::string in(1, static_cast<char>(c));
        const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                          c == '_' || c == '.' || c == '~';
        CAPTURE(c);
        CHECK(percent_encode(in).size() == (keep ? 1U : 3U));
    }
}
