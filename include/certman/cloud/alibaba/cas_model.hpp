// Certificate Management Service (CAS, API 2020-04-07) answers and names for uploading ACME certificates that
// ALB and NLB listeners then refer to (reference /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §2):
// parsing UploadUserCertificate, GetUserCertificateDetail and ListUserCertificateOrder, the CertIdentifier of
// an id in a region, the CAS endpoint of a region, and the operator's hint for an error code. Pure.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

inline constexpr std::string_view cas_api_version = "2020-04-07";
// Every answer certman reads from CAS, ALB or NLB is a few KiB; a larger one is refused, not parsed.
inline constexpr std::size_t max_answer_bytes = 1024 * 1024;

// One certificate as CAS describes it (the fields certman compares; others ignored).
struct cas_certificate {
    std::int64_t id = 0;          // CertId / CertificateId / Id: a number in the API
    std::string name;             // Name, unique per account
    std::string sha2;             // Sha2: hex SHA-256 "of the certificate" (of the DER leaf: [unverified], §2.2)
    std::string serial_no;        // SerialNo: hex, CAS left-pads it with '0' (§2.2)
    std::string identifier;       // CertIdentifier "<CertId>-<region>" (GetUserCertificateDetail only)
};

struct cas_certificate_page {
    std::vector<cas_certificate> certificates;
    std::int64_t total_count = 0;
};

// {"CertId":123,...} (UploadUserCertificate). Errors: errc::parse_error (with a message) when the body is over
// max_answer_bytes, not a JSON object, or CertId is missing, not a number or not positive.
result<std::int64_t> parse_cas_upload(std::string_view body);

// {"Id":123,"Name":..,"Sha2":..,"SerialNo":..,"CertIdentifier":"123-cn-hangzhou"} (GetUserCertificateDetail
// with CertFilter=true). Errors: errc::parse_error when oversized, not that shape, or Id is not positive.
result<cas_certificate> parse_cas_detail(std::string_view body);

// {"CertificateOrderList":[{"CertificateId":123,"Name":..,"Sha2":..,"SerialNo":..}],"TotalCount":n}
// (ListUserCertificateOrder with OrderType=UPLOAD). Errors: errc::parse_error as above, or an entry without a
// positive CertificateId.
result<cas_certificate_page> parse_cas_certificate_list(std::string_view body);

// "<id>-<region>", the CertIdentifier format ALB and NLB take (§2.3, §3.1).
std::string cas_certificate_identifier(std::int64_t id, std::string_view region);

// The CAS id inside a listener's certificate id: "123-cn-hangzhou" → 123 for `region` cn-hangzhou, a bare "123"
// → 123; 0 when it is neither (another shape, or another region's suffix).
std::int64_t cas_id_of(std::string_view listener_certificate_id, std::string_view region);

// The endpoint for `region`: "https://cas.aliyuncs.com" for China regions and the other regions of the SDK's
// endpoint map that certman knows (§1.7; the map in the reference is abridged), else
// "https://cas.<region>.aliyuncs.com"; `configured` wins when set. `error` (one line) when configured is neither
// https:// nor loopback http://. A trailing '/' is dropped.
struct cas_endpoint {
    std::string url;
    std::string error;
};
cas_endpoint resolve_cas_endpoint(std::string_view region, std::string_view configured);

// What the operator should check about a CAS error `code` from `action` ("" when the message says it all):
// permission codes name the RAM action yundun-cert:<action> (§7), key and signature codes the access key, a
// refused certificate the PEM.
std::string cas_hint(std::string_view code, std::string_view action);

}  // namespace certman::cloud::alibaba
