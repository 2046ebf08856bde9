// The server's request reader: a Beast basic_parser that keeps only what routing needs (method, target,
// version, keep-alive) and discards header fields and body bytes as they are parsed. Every certman route is
// chosen by method and path alone, so there is nothing to store per field: reading a request allocates
// nothing beyond the two strings the connection reuses (issue 2 bench: per-connection cost).
// Limits stay Beast's: header_limit() (→ http::error::header_limit), body_limit() (→ http::error::body_limit,
// also for chunked bodies); framing, keep_alive() and need_eof() follow RFC 9112 as in Beast.
#pragma once
#include <boost/beast/http/basic_parser.hpp>
#include <string>

namespace certman::net {

class request_head final : public boost::beast::http::basic_parser<true> {
public:
    // method and target are filled when the request line has been parsed; the caller keeps them (and their
    // capacity) across requests on one connection.
    request_head(std::string& method, std::string& target) : method_(method), target_(target) {}
    unsigned version() const noexcept { return version_; }
    boost::beast::http::verb verb() const noexcept { return verb_; }

private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;
    void on_request_impl(boost::beast::http::verb v, string_view method, string_view target, int version,
                         error_code&) override {
        verb_ = v;
        method_.assign(method.data(), method.size());
        target_.assign(target.data(), target.size());
        version_ = static_cast<unsigned>(version);
    }
    void on_response_impl(int, string_view, int, error_code&) override {}
    void on_field_impl(boost::beast::http::field, string_view, string_view, error_code&) override {}
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(boost::optional<std::uint64_t> const&, error_code&) override {}
    std::size_t on_body_impl(string_view body, error_code&) override { return body.size(); }
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override { return body.size(); }
    void on_finish_impl(error_code&) override {}

    std::string& method_;
    std::string& target_;
    unsigned version_ = 11;
    boost::beast::http::verb verb_ = boost::beast::http::verb::unknown;
};

}  // namespace certman::net
