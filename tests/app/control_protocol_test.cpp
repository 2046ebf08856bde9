#include <doctest/doctest.h>
#include <boost/json/parse.hpp>
#include <string>
#include "certman/app/control_protocol.hpp"

using namespace certman::app::control;

TEST_CASE("control protocol: a request round-trips byte-exactly") {
    request r;
    r.cmd = command::renew;
    r.names = {"www", "api"};
    r.force = true;
    r.config = "/etc/certman/certman.toml";
    const std::string line = to_line(r);
    CHECK(line == R"({"command":"renew","names":["www","api"],"force":true,"reason":"unspecified",)"
                  R"("config":"/etc/certman/certman.toml"})" "\n");
    auto back = parse_request(std::string_view(line).substr(0, line.size() - 1));
    REQUIRE(back.has_value());
    const auto& b = *back;
    CHECK(b.cmd == command::renew);
    CHECK(b.names == r.names);
    CHECK(b.force);
    CHECK(b.config == r.config);
}

TEST_CASE("control protocol: minimal requests take the defaults") {
    for (auto [text, cmd] : {std::pair{R"({"command":"status"})", command::status},
                             std::pair{R"({"command":"reload"})", command::reload},
                             std::pair{R"({"command":"renew"})", command::renew}}) {
        CAPTURE(text);
        auto r = parse_request(text);
        REQUIRE(r.has_value());
        CHECK(r->cmd == cmd);
        CHECK(r->names.empty());
        CHECK_FALSE(r->force);
    }
    auto rv = parse_request(R"({"command":"revoke","names":["www"],"reason":"keyCompromise"})");
    REQUIRE(rv.has_value());
    CHECK(revocation_reason_code(rv->reason) == 1);
}

TEST_CASE("control protocol: hostile or malformed requests are refused with the reason") {
    const std::string many_names = [] {
        std::string s = R"({"command":"renew","names":[)";
        for (std::size_t i = 0; i <= max_names; ++i) s += (i ? ",\"n" : "\"n") + std::to_string(i) + "\"";
        return s + "]}";
    }();
    struct row { std::string line, error; };
    const row rows[] = {
        {"", "not JSON"},
        {"nonsense", "not JSON"},
        {"[1,2]", "expected one JSON object per line"},
        {R"({"names":[]})", "\"command\": expected"},
        {R"({"command":"shutdown"})", "unknown command \"shutdown\""},
        {R"({"command":"renew","force":"yes"})", "\"force\": expected true or false"},
        {R"({"command":"renew","names":"www"})", "\"names\": expected an array"},
        {R"({"command":"renew","names":["../etc"]})", "\"names\": expected certificate names"},
        {R"({"command":"renew","names":[1]})", "\"names\": expected certificate names"},
        {R"({"command":"renew","exec":"rm -rf /"})", "unknown field \"exec\""},
        {R"({"command":"revoke"})", "revoke: expected exactly one name"},
        {R"({"command":"revoke","names":["a","b"]})", "revoke: expected exactly one name"},
        {R"({"command":"revoke","names":["a"],"reason":"because"})", "\"reason\": expected"},
        {many_names, "more than 64 names"},
        {std::string(max_line_bytes + 1, ' '), "line longer than 4096 bytes"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.line.substr(0, 80));
        auto got = parse_request(r.line);
        REQUIRE(got.has_error());
        CHECK(got.error() == certman::errc::invalid_argument);
        CHECK(got.error().message().find(r.error) != std::string::npos);
    }
}

TEST_CASE("control protocol: exactly max_names names and a max_line_bytes line are accepted") {
    std::string s = R"({"command":"renew","names":[)";
    for (std::size_t i = 0; i < max_names; ++i) s += (i ? ",\"n" : "\"n") + std::to_string(i) + "\"";
    s += "]}";
    auto r = parse_request(s);
    REQUIRE(r.has_value());
    CHECK(r->names.size() == max_names);
    std::string padded = R"({"command":"status"})";
    padded += std::string(max_line_bytes - padded.size(), ' ');
    CHECK(parse_request(padded).has_value());
}

TEST_CASE("control protocol: replies byte-exact and parsed back") {
    CHECK(progress_line("certificate www: deployed to lb") ==
          "{\"event\":\"progress\",\"text\":\"certificate www: deployed to lb\"}\n");
    CHECK(done_line(4, "www: order failed") == "{\"event\":\"done\",\"exit\":4,\"message\":\"www: order failed\"}\n");
    const auto data = boost::json::parse(R"({"certificates":[]})");
    const auto with_data = done_line(0, "", &data);
    CHECK(with_data == "{\"event\":\"done\",\"exit\":0,\"message\":\"\",\"data\":{\"certificates\":[]}}\n");

    auto p = parse_reply(R"({"event":"progress","text":"hello"})");
    REQUIRE(p.has_value());
    CHECK_FALSE(p->done);
    CHECK(p->text == "hello");
    auto d = parse_reply(std::string_view(with_data).substr(0, with_data.size() - 1));
    REQUIRE(d.has_value());
    CHECK(d->done);
    CHECK(d->exit_code == 0);
    REQUIRE(d->data.has_value());
    CHECK(d->data->as_object().contains("certificates"));
    for (const char* bad : {R"({"event":"done"})", R"({"event":"done","exit":256})", R"({"event":"done","exit":-1})",
                            R"({"event":"other"})", R"({"text":"x"})"}) {
        CAPTURE(bad);
        CHECK(parse_reply(bad).has_error());
    }
    // A line that is not one JSON object: the reason, as for requests.
    const struct { std::string line; std::string why; } lines[] = {
        {"nonsense", "not JSON: "},
        {"[1]", "expected one JSON object per line"},
        {std::string(max_reply_line_bytes + 1, ' '), "line longer than 16777216 bytes"},  // replies' own bound
    };
    for (const auto& l : lines) {
        CAPTURE(l.why);
        auto r = parse_reply(l.line);
        REQUIRE(r.has_error());
        CHECK(r.error().message().rfind(l.why, 0) == 0);
    }
}

TEST_CASE("control protocol: line_splitter frames lines and stops at the bound") {
    line_splitter s;
    s.feed("{\"a\":1}\n{\"b\"");
    CHECK(s.next() == std::optional<std::string>("{\"a\":1}"));
    CHECK_FALSE(s.next().has_value());
    s.feed(":2}\n");
    CHECK(s.next() == std::optional<std::string>("{\"b\":2}"));

    line_splitter at_bound;
    at_bound.feed(std::string(max_line_bytes, 'x'));
    CHECK_FALSE(at_bound.overflowed());
    at_bound.feed("\n");
    CHECK(at_bound.next()->size() == max_line_bytes);

    line_splitter over;
    over.feed(std::string(max_line_bytes, 'x'));
    over.feed("x");
    CHECK(over.overflowed());
    over.feed("\n");
    CHECK_FALSE(over.next().has_value());

    line_splitter second_too_long;
    second_too_long.feed("ok\n" + std::string(max_line_bytes + 1, 'y'));
    CHECK(second_too_long.next() == std::optional<std::string>("ok"));
    CHECK(second_too_long.overflowed());
}

TEST_CASE("control protocol: the CLI reads reply lines up to max_reply_line_bytes (a status of many certificates)") {
    // A /status document of many certificates: far over the request bound, well under the reply one.
    boost::json::object doc;
    boost::json::array certs;
    for (int i = 0; i < 1000; ++i) certs.emplace_back(boost::json::object{{"name", "customer-" + std::to_string(i)}});
    doc["certificates"] = std::move(certs);
    const boost::json::value data = doc;
    const auto line = done_line(0, "", &data);
    REQUIRE(line.size() > 4 * max_line_bytes);
    line_splitter replies(max_reply_line_bytes);
    replies.feed(line);
    CHECK_FALSE(replies.overflowed());
    const auto got = replies.next();
    REQUIRE(got);
    const auto r = parse_reply(*got);
    REQUIRE(r.has_value());
    CHECK(r->data->at("certificates").as_array().size() == 1000);

    line_splitter at_bound(max_reply_line_bytes);
    at_bound.feed(std::string(max_reply_line_bytes, 'x'));
    CHECK_FALSE(at_bound.overflowed());
    at_bound.feed("x");
    CHECK(at_bound.overflowed());
    // Requests keep the small bound.
    CHECK(parse_request(std::string(max_line_bytes + 1, ' ')).has_error());
}
