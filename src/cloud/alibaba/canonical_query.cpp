#include "certman/cloud/alibaba/canonical_query.hpp"

#include <algorithm>

#include "certman/cloud/alibaba/percent_encode.hpp"

namespace certman::cloud::alibaba {

std::string canonical_query(const param_list& params, empty_value empty) {
    param_list encoded;
    encoded.reserve(params.size());
    for (const auto& [name, value] : params) encoded.emplace_back(percent_encode(name), percent_encode(value));
    // std::string compares char_traits<char>, i.e. as unsigned bytes: the byte order both signatures specify.
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [name, value] : encoded) {
        if (!out.empty()) out.push_back('&');
        out += name;
        if (!value.empty() || empty == empty_value::name_equals) {
            out.push_back('=');
            out += value;
        }
    }
    return out;
}

}  // namespace certman::cloud::alibaba
