// Helpers for the configuration variants whose alternatives each name their kind (a `static constexpr
// std::string_view kind`): the [[deployer]] and [storage] options in app/config.hpp. `overloaded` builds the
// visitor of std::visit from lambdas; kinds_of lists the kind strings in alternative order (for "expected one
// of" messages); emplace_kind turns the kind string read from the file into the alternative. Pure.
#pragma once
#include <array>
#include <cstddef>
#include <string_view>
#include <utility>
#include <variant>

namespace certman {

template <class... F>
struct overloaded : F... {
    using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

template <class Variant>
struct variant_kinds;
template <class... T>
struct variant_kinds<std::variant<T...>> {
    static constexpr std::array<std::string_view, sizeof...(T)> names{T::kind...};
};

// The kind strings of Variant's alternatives, in order.
template <class Variant>
constexpr const auto& kinds_of() { return variant_kinds<Variant>::names; }

// Sets v to the (default-constructed) alternative whose kind is `kind`; false (v unchanged) if none is.
template <class Variant, std::size_t I = 0>
bool emplace_kind(Variant& v, std::string_view kind) {
    if constexpr (I == std::variant_size_v<Variant>) {
        return false;
    } else {
        if (std::variant_alternative_t<I, Variant>::kind == kind) {
            v.template emplace<I>();
            return true;
        }
        return emplace_kind<Variant, I + 1>(v, kind);
    }
}

}  // namespace certman
