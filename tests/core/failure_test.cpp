// failure (core/failure.hpp): the code compared by name, the message byte for byte, the hint, the context
// prefix, and result<T> built from a bare code.
#include "certman/core/failure.hpp"

#include <doctest/doctest.h>

#include <boost/system/errc.hpp>
#include <sstream>
#include <string>

#include "certman/core/result.hpp"

using certman::errc;
using certman::failure;
using certman::result;

TEST_CASE("failure: a bare code gives the code's own message and no hint") {
    const failure f = errc::not_found;
    CHECK(f == errc::not_found);
    CHECK(f != errc::io_error);
    CHECK(f.code() == make_error_code(errc::not_found));
    CHECK(f.message() == "not found");
    CHECK(f.hint().empty());
    CHECK(f.what() == "not found");
}

TEST_CASE("failure: message and hint byte for byte") {
    const failure f{errc::io_error, "store certificates/a.json: write /s/.tmp-1-2: No space left on device",
                    "free space on the state directory's filesystem"};
    CHECK(f == errc::io_error);
    CHECK(f.message() == "store certificates/a.json: write /s/.tmp-1-2: No space left on device");
    CHECK(f.hint() == "free space on the state directory's filesystem");
    CHECK(f.what() ==
          "store certificates/a.json: write /s/.tmp-1-2: No space left on device (free space on the state "
          "directory's filesystem)");
}

TEST_CASE("failure: context prefixes the message and keeps code and hint") {
    const failure inner{errc::cloud_error, "PutObject p/a.json: AccessDenied (HTTP 403)", "check the RAM policy"};
    const auto outer = inner.context("store a.json");
    CHECK(outer == errc::cloud_error);
    CHECK(outer.message() == "store a.json: PutObject p/a.json: AccessDenied (HTTP 403)");
    CHECK(outer.hint() == "check the RAM policy");
    CHECK(failure{errc::timeout}.context("GetObject x").message() == "GetObject x: timed out");
    CHECK(inner.with_message("other").message() == "other");
    CHECK(inner.with_message("other").hint() == "check the RAM policy");
    CHECK(inner.with_hint("h").message() == inner.message());
    CHECK(inner.with_hint("h").hint() == "h");
}

TEST_CASE("failure: compares by code against errc, error_code and failures") {
    const auto denied = boost::system::errc::make_error_code(boost::system::errc::permission_denied);
    const failure f = denied;
    CHECK(f == denied);
    CHECK(f != errc::io_error);
    CHECK(f.message() == denied.message());
    CHECK(failure{errc::timeout, "a"} == failure{errc::timeout, "b"});
    CHECK(errc::timeout == failure{errc::timeout, "a"});
    const failure ok;
    CHECK_FALSE(ok.code());
}

TEST_CASE("result<T>: built from a bare code or a failure; value() throws the message") {
    const result<int> a = errc::parse_error;
    REQUIRE(a.has_error());
    CHECK(a.error() == errc::parse_error);
    const result<std::string> b = failure{errc::io_error, "read /x: Permission denied"};
    REQUIRE(b.has_error());
    CHECK(b.error().message() == "read /x: Permission denied");
    const result<void> c = failure{errc::unsupported, "no", "check the build"};
    try {
        c.value();
        FAIL("value() did not throw");
    } catch (const boost::system::system_error& e) {
        CHECK(e.code() == make_error_code(errc::unsupported));
        CHECK(std::string(e.what()).find("no (check the build)") != std::string::npos);
    }
    const result<std::string> d = std::string("v");
    CHECK(*d == "v");
}

TEST_CASE("failure: the peer's code survives context and message changes") {
    const auto f = failure{errc::cloud_error, "DeleteServerCertificate sc-1: refused"}.with_peer_code(
        "CertificateAndPrivateKeyIsRefered");
    CHECK(f.peer_code() == "CertificateAndPrivateKeyIsRefered");
    CHECK(f.context("cleanup").peer_code() == "CertificateAndPrivateKeyIsRefered");
    CHECK(f.context("cleanup").message() == "cleanup: DeleteServerCertificate sc-1: refused");
    CHECK(f.with_message("x").peer_code() == "CertificateAndPrivateKeyIsRefered");
    CHECK(failure{errc::cloud_error}.peer_code().empty());
}

TEST_CASE("failure: printed with its code and the whole line") {
    std::ostringstream os;
    os << failure{errc::io_error, "read /x: Permission denied", "check the mode"};
    CHECK(os.str() == "certman:4 read /x: Permission denied (check the mode)");
}
