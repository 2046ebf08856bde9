target_sources(certman_io PRIVATE src/net/asio_impl.cpp)
target_sources(certman_pure PRIVATE src/net/endpoint.cpp)
