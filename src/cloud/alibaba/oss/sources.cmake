# OSS client (reference alibaba-api.md §4). Not globbed (three levels deep): included by src/storage/oss/sources.cmake.
# Pure: the XML extractor, endpoints, retry classification. I/O: the signed client.
target_sources(certman_pure PRIVATE src/cloud/alibaba/oss/oss_xml.cpp src/cloud/alibaba/oss/oss_request.cpp)
target_sources(certman_io PRIVATE src/cloud/alibaba/oss/oss_client.cpp)
if(CERTMAN_TESTS)
  target_sources(certman_unit_pure PRIVATE tests/cloud/alibaba/oss_xml_test.cpp tests/cloud/alibaba/oss_request_test.cpp)
endif()
