// The parts of SLB/CLB 2014-05-15 answers that certman reads (reference alibaba-api.md §2), parsed from the JSON
// bodies into plain values, and the endpoint a region's API lives at (§1.3). Pure.
//
// Arrays arrive wrapped in a singular-named object ("LoadBalancers":{"LoadBalancer":[…]}); an absent wrapper or
// an absent array is read as empty (the service omits them when there is nothing to list). Integers are JSON
// numbers; a number sent as a string is accepted too.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

struct load_balancer {
    std::string id;      // LoadBalancerId
    std::string name;    // LoadBalancerName
    std::string status;  // active|inactive|locked
};

struct https_listener {
    int port = 0;
    std::string status;                 // running|stopped|configuring…
    std::string server_certificate_id;  // empty when none is set
};

struct server_certificate {
    std::string id;           // ServerCertificateId
    std::string name;         // ServerCertificateName
    std::string fingerprint;  // as sent ("68:08:1a:…"); compare with crypto::normalize_fingerprint
    std::string common_name;
    std::int64_t expire_ms = 0;  // ExpireTimeStamp (ms since the epoch)
    std::int64_t create_ms = 0;  // CreateTimeStamp
};

// DescribeLoadBalancers → LoadBalancers.LoadBalancer[]. Errors: errc::parse_error (not a JSON object, wrong types).
result<std::vector<load_balancer>> parse_load_balancers(std::string_view body);

// DescribeLoadBalancerHTTPSListenerAttribute. Errors: errc::parse_error (no numeric ListenerPort, wrong types).
result<https_listener> parse_https_listener(std::string_view body);

// DescribeServerCertificates → ServerCertificates.ServerCertificate[]. Errors: errc::parse_error; an entry
// without a ServerCertificateId is an error too.
result<std::vector<server_certificate>> parse_server_certificates(std::string_view body);

// UploadServerCertificate answers with one certificate's fields at the top level. Errors: errc::parse_error.
result<server_certificate> parse_uploaded_certificate(std::string_view body);

// Where the SLB API of `region` lives. An empty `configured` gives "https://slb.<region>.aliyuncs.com" (the
// regional form works everywhere; §1.3). A configured endpoint must be an absolute https:// URL, or http:// to a
// loopback address (the emulator); a trailing "/" is dropped. `error` is set (one line naming the value) and
// `url` is empty when the configuration is unusable, including a region that is not [a-z0-9-]+.
struct slb_endpoint {
    std::string url;
    std::string error;
};
slb_endpoint resolve_slb_endpoint(std::string_view region, std::string_view configured);

// "" when `configured` is an absolute https:// URL, or http:// to a loopback address; else one line naming the
// value and what is expected (`example` shows a good one). Shared by every Alibaba product's endpoint option.
std::string check_endpoint_url(std::string_view configured, std::string_view example);

}  // namespace certman::cloud::alibaba
