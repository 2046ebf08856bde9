// Internal: typed, validated access to one TOML table with messages that name file, line and key.
// Throws config_error (caught once in parse_config) so the validation code reads top to bottom.
#pragma once
#include <toml++/toml.h>
#include <chrono>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>
#include "certman/app/config_parser.hpp"
#include "certman/net/endpoint.hpp"

namespace certman::app::detail {

class toml_reader {
public:
    toml_reader(const toml::table& table, std::string section, std::string source)
        : table_(table), section_(std::move(section)), source_(std::move(source)) {}

    // Fails on the first key not in `allowed`, listing the allowed ones.
    void reject_unknown(std::initializer_list<std::string_view> allowed) const;

    bool has(std::string_view key) const { return table_.contains(key); }
    void require(std::string_view key, std::string_view expected) const;

    void read(std::string_view key, std::string& out) const;
    void read(std::string_view key, bool& out) const;
    void read(std::string_view key, int& out, long long min, long long max) const;
    void read(std::string_view key, std::size_t& out, long long min, long long max) const;
    void read(std::string_view key, std::chrono::seconds& out) const;
    void read(std::string_view key, std::optional<std::chrono::seconds>& out) const;
    void read(std::string_view key, net::endpoint& out) const;
    void read(std::string_view key, std::vector<std::string>& out) const;
    void read(std::string_view key, std::vector<int>& out, long long min, long long max) const;
    // A string that must be one of `choices`.
    void read_choice(std::string_view key, std::string& out, std::initializer_list<std::string_view> choices) const;
    void read_choice(std::string_view key, std::string& out, std::span<const std::string_view> choices) const;

    [[noreturn]] void fail(std::string_view key, const std::string& what) const;
    [[noreturn]] void fail_at(const toml::node* node, std::string_view key, const std::string& what) const;
    std::string where(const toml::node* node) const;
    const std::string& section() const { return section_; }

private:
    const toml::table& table_;
    std::string section_;
    std::string source_;
};

std::string type_name(const toml::node& node);

}  // namespace certman::app::detail
