#include "certman/storage/lease.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "certman/core/rfc3339.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/keys.hpp"

namespace certman::storage {
namespace json = boost::json;
using boost::asio::awaitable;
using std::chrono::seconds;
using std::chrono::sys_seconds;

std::string lease_to_json(const lease& l) {
    json::object o;
    o["owner"] = l.owner;
    o["expires"] = format_rfc3339(l.expires);
    return json::serialize(o);
}

result<lease> lease_from_json(std::string key, std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) return errc::parse_error;
    const auto& o = v.get_object();
    auto* owner = o.if_contains("owner");
    auto* expires = o.if_contains("expires");
    if (owner == nullptr || !owner->is_string() || expires == nullptr || !expires->is_string())
        return errc::parse_error;
    auto t = parse_rfc3339(expires->get_string());
    if (!t) return t.error();
    return lease{std::move(key), std::string(owner->get_string()), *t};
}

namespace {

// The stored lease, or not_found; an unparsable document reads as an expired lease of nobody.
awaitable<result<lease>> read_lease(storage& s, const std::string& key) {
    auto text = co_await s.load(key);
    if (!text) co_return text.error();
    auto l = lease_from_json(key, *text);
    if (!l) co_return lease{key, "", sys_seconds{}};
    co_return l;
}

}  // namespace

awaitable<result<lease>> acquire_lease(storage& s, std::string name, std::string owner, seconds ttl,
                                       sys_seconds now, lease* holder,
                                       bool (*owner_gone)(std::string_view)) {
    lease wanted{lease_key(name), std::move(owner), now + ttl};
    auto created = co_await s.create(wanted.key, lease_to_json(wanted));
    if (created) co_return wanted;
    if (created.error() != errc::already_exists) co_return created.error();

    auto current = co_await read_lease(s, wanted.key);
    if (!current && current.error() == errc::not_found) {
        // Released between our create and our load: one more try, no loop (a busy lease stays busy).
        created = co_await s.create(wanted.key, lease_to_json(wanted));
        if (!created) co_return created.error();
        co_return wanted;
    }
    if (!current) co_return current.error();
    if (current->owner == wanted.owner && current->expires > now) {
        auto stored = co_await s.store(wanted.key, lease_to_json(wanted));
        if (!stored) co_return stored.error();
        co_return wanted;
    }
    if (current->expires > now && !(owner_gone && owner_gone(current->owner))) {
        if (holder) *holder = *current;
        co_return failure{errc::already_exists, "lease " + wanted.key + " is held by " + current->owner};
    }

    // Stale: take it over. Only one create() among racing takers succeeds.
    auto removed = co_await s.remove(wanted.key);
    if (!removed) co_return removed.error();
    created = co_await s.create(wanted.key, lease_to_json(wanted));
    if (!created) co_return created.error();
    wanted.taken_over = true;
    co_return wanted;
}

awaitable<result<void>> still_ours(storage& s, lease held, sys_seconds now) {
    auto current = co_await read_lease(s, held.key);
    const failure lost{errc::lease_lost, "lease " + held.key + " is no longer held by " + held.owner};
    if (!current && current.error() == errc::not_found) co_return lost;
    if (!current) co_return current.error();
    if (current->owner != held.owner || current->expires <= now) co_return lost;
    co_return result<void>{};
}

awaitable<result<lease>> refresh_lease(storage& s, lease held, seconds ttl, sys_seconds now) {
    auto ours = co_await still_ours(s, held, now);
    if (!ours) co_return ours.error();
    held.expires = now + ttl;
    auto stored = co_await s.store(held.key, lease_to_json(held));
    if (!stored) co_return stored.error();
    co_return held;
}

awaitable<result<void>> release_lease(storage& s, lease held) {
    auto current = co_await read_lease(s, held.key);
    if (!current && current.error() == errc::not_found) co_return result<void>{};
    if (!current) co_return current.error();
    if (current->owner != held.owner) co_return result<void>{};
    co_return co_await s.remove(held.key);
}

}  // namespace certman::storage
