// The few OSS XML answers certman reads (reference alibaba-api.md §4.1): the error body, the ListObjectsV2
// result and the GetBucketVersioning result. OSS emits flat, attribute-free XML, so a tiny extractor of
// element texts is enough and no XML library is pulled in. Pure.
//
// The extractor finds `<name>text</name>` and `<name/>` (exact element name: "<Key>" never matches
// "<KeyCount>"), decodes the five predefined entities and numeric character references (XML 1.0 §4.6, §4.1),
// and refuses what it cannot read (unterminated element, unknown or malformed entity, CDATA, nested markup
// inside a text element) with errc::parse_error rather than guessing.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "certman/core/result.hpp"

namespace certman::cloud::alibaba {

// The decoded text of every `name` element in document order ("" for an empty element).
result<std::vector<std::string>> xml_texts(std::string_view doc, std::string_view name);

// The decoded text of the first `name` element; errc::not_found when there is none.
result<std::string> xml_text(std::string_view doc, std::string_view name);

// Decodes &lt; &gt; &amp; &quot; &apos; &#NN; &#xHH; (to UTF-8). errc::parse_error on anything else after '&'.
result<std::string> xml_unescape(std::string_view text);

// <Error><Code/><Message/><RequestId/>...</Error>. Missing elements are empty; a body that is not an OSS
// error document (an HTML page from a proxy, an empty HEAD answer) gives all-empty fields, never an error.
struct oss_error_body {
    std::string code;
    std::string message;
    std::string request_id;
};
oss_error_body parse_oss_error(std::string_view body);

// One page of ListObjectsV2.
struct oss_list_page {
    std::vector<std::string> keys;    // <Contents><Key>, in the service's (lexicographic) order
    bool truncated = false;           // <IsTruncated>true</IsTruncated>
    std::string next_token;           // <NextContinuationToken>, set when truncated
};
// Errors: errc::parse_error when the root is not ListBucketResult, IsTruncated is not true/false, or a
// truncated page carries no continuation token (following it would loop forever).
result<oss_list_page> parse_list_objects_v2(std::string_view body);

// <VersioningConfiguration><Status>Enabled|Suspended</Status></VersioningConfiguration>: the Status text,
// "" for a bucket that never had versioning. errc::parse_error when the root element is missing.
result<std::string> parse_bucket_versioning(std::string_view body);

}  // namespace certman::cloud::alibaba
