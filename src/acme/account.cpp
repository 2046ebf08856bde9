#include "certman/acme/account.hpp"
#include "json_read.hpp"

namespace certman::acme {

result<account> parse_account(std::string_view text) {
    auto obj = detail::parse_object(text, "account");
    if (!obj) return obj.error();
    const detail::reader r(*obj, "account");
    account a;
    auto st = r.stat("status");
    if (!st) return st.error();
    a.status = *st;
    auto contact = r.str_array("contact", false);
    if (!contact) return contact.error();
    a.contact = std::move(*contact);
    auto tos = r.opt_bool("termsOfServiceAgreed");
    if (!tos) return tos.error();
    a.terms_of_service_agreed = *tos;
    auto orders = r.opt_str("orders");
    if (!orders) return orders.error();
    a.orders = std::move(*orders);
    return a;
}

}  // namespace certman::acme
