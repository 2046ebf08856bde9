// failure: the error half of result<T> (core/result.hpp). It carries the code callers branch on (compare it
// by name: `r.error() == errc::not_found`) and the operator-facing message that says what failed, naming the
// path, object, action or step and the operating system's, service's or CA's reason, plus, where useful, a hint
// saying what to check. The message travels with the result, by value: no adapter keeps a "last error" that a
// concurrent coroutine could overwrite.
//
// Messages are for logs, status pages and the CLI: never a secret (a stored value, a private key, an
// AccessKeySecret, a security token) and never a request body that holds one.
#pragma once
#include <boost/system/error_code.hpp>
#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include "certman/core/errc.hpp"

namespace certman {

class failure {
public:
    failure() = default;
    // Implicit, so `co_return errc::not_found;` and `co_return ec;` still build a failed result<T>; the
    // message is then the code's own ("not found").
    failure(errc e) : code_(make_error_code(e)) {}  // NOLINT(google-explicit-constructor)
    failure(boost::system::error_code code) : code_(code) {}  // NOLINT(google-explicit-constructor)
    template <class E>
        requires boost::system::is_error_code_enum<E>::value
    failure(E e) : code_(make_error_code(e)) {}  // NOLINT(google-explicit-constructor)
    failure(boost::system::error_code code, std::string message, std::string hint = {})
        : code_(code), message_(std::move(message)), hint_(std::move(hint)) {}

    const boost::system::error_code& code() const noexcept { return code_; }
    // The operator-facing message; the code's own message when none was given.
    std::string message() const { return message_.empty() ? code_.message() : message_; }
    // What to check ("is the bucket's versioning suspended?"), "" when there is nothing to add.
    const std::string& hint() const noexcept { return hint_; }
    // message(), then " (hint)" when there is a hint: the one line a log or the CLI prints.
    std::string what() const { return hint_.empty() ? message() : message() + " (" + hint_ + ")"; }

    // The peer's own name for the error, for callers that branch on it: an Alibaba Cloud Code such as
    // "AccessDenied" (alibaba-api.md §1.6). "" when there is none.
    const std::string& peer_code() const noexcept { return peer_code_; }

    // The same failure, the message prefixed with the caller's context: "<context>: <message>".
    failure context(std::string_view context) const {
        failure f = *this;
        f.message_ = std::string(context) + ": " + message();
        return f;
    }
    // The same failure with another message, code, hint or peer code.
    failure with_message(std::string message) const {
        failure f = *this;
        f.message_ = std::move(message);
        return f;
    }
    failure with_code(boost::system::error_code code) const {
        failure f = *this;
        f.code_ = code;
        return f;
    }
    failure with_hint(std::string hint) const {
        failure f = *this;
        f.hint_ = std::move(hint);
        return f;
    }
    failure with_peer_code(std::string peer_code) const {
        failure f = *this;
        f.peer_code_ = std::move(peer_code);
        return f;
    }

    // Failures compare by code only: the message is for people.
    friend bool operator==(const failure& a, const failure& b) noexcept { return a.code_ == b.code_; }
    friend bool operator==(const failure& f, const boost::system::error_code& c) noexcept { return f.code_ == c; }
    friend bool operator==(const failure& f, errc e) noexcept { return f.code_ == make_error_code(e); }
    template <class E>
        requires boost::system::is_error_code_enum<E>::value
    friend bool operator==(const failure& f, E e) noexcept {
        return f.code_ == make_error_code(e);
    }

    // For test output (doctest, boost::system::result's operator<<): "<category>:<value> <what()>".
    friend std::ostream& operator<<(std::ostream& os, const failure& f) { return os << f.code_ << ' ' << f.what(); }

private:
    boost::system::error_code code_;
    std::string message_;
    std::string hint_;
    std::string peer_code_;
};

// Called by boost::system::result<T, failure>::value() on an error (found by ADL): a system_error with the
// code and the operator-facing message.
[[noreturn]] inline void throw_exception_from_error(const failure& f, const boost::source_location& loc) {
    boost::throw_exception(boost::system::system_error(f.code(), f.what()), loc);
}

}  // namespace certman
