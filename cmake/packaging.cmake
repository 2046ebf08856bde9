# Install rules and the Debian package (CPack DEB): certman_<version>_amd64.deb.
#   cmake --build BUILD --target certman && (cd BUILD && cpack)     # or: cpack --config BUILD/CPackConfig.cmake -B OUT
# Layout: /usr/bin/certman, /etc/certman/certman.toml (conffile, 0640; postinst gives it group certman),
# /lib/systemd/system/certman.service, /usr/share/man/man8/certman.8.gz, /usr/share/doc/certman/. The maintainer scripts in deploy/debian/ create
# the certman user and /var/lib/certman (0700) and stop the daemon on remove.

# Packaging copies what is already built: it must not rebuild every target (tests package from a live build dir).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(certman_deb_dir ${CMAKE_SOURCE_DIR}/deploy/debian)

install(TARGETS certman RUNTIME DESTINATION bin COMPONENT certman)
install(FILES ${certman_deb_dir}/certman.toml DESTINATION /etc/certman COMPONENT certman
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/systemd/certman.service DESTINATION /lib/systemd/system COMPONENT certman
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# Debian wants the changelog gzipped (-n style: no name or time in the header, so the .deb is reproducible).
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/deb)
execute_process(COMMAND gzip -9nc ${certman_deb_dir}/changelog OUTPUT_FILE ${CMAKE_BINARY_DIR}/deb/changelog.gz
                COMMAND_ERROR_IS_FATAL ANY)
install(FILES ${certman_deb_dir}/README.Debian ${certman_deb_dir}/copyright ${CMAKE_BINARY_DIR}/deb/changelog.gz
        DESTINATION share/doc/certman COMPONENT certman)

# certman(8), generated at install time from the built binary's --help (the unit's Documentation=man:certman(8)).
install(CODE "execute_process(COMMAND sh ${certman_deb_dir}/make-manpage.sh \"$<TARGET_FILE:certman>\"
                ${PROJECT_VERSION} ${CMAKE_BINARY_DIR}/deb/certman.8.gz COMMAND_ERROR_IS_FATAL ANY)"
        COMPONENT certman)
install(FILES ${CMAKE_BINARY_DIR}/deb/certman.8.gz DESTINATION share/man/man8 COMPONENT certman)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME certman)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT "certman maintainers <ops@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "ACME certificate manager for load balancers (Alibaba Cloud SLB)")
set(CPACK_PACKAGE_DESCRIPTION "certman keeps a load balancer's HTTPS certificate valid: it answers
ACME HTTP-01 challenges behind the load balancer, renews on time and deploys to
Alibaba Cloud SLB listeners, HAProxy or files. One daemon and one systemd unit
replace nginx, certbot, ossfs and cron.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)           # certman_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE "")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/certman")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)                        # debug info stays in the build tree
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${certman_deb_dir}/conffiles ${certman_deb_dir}/postinst ${certman_deb_dir}/prerm ${certman_deb_dir}/postrm)

# Library dependencies from dpkg-shlibdeps when dpkg-dev is there, else Debian 12's names; passwd (useradd) and
# dpkg (start-stop-daemon) for the maintainer scripts.
find_program(CERTMAN_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(CERTMAN_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
elseif(CERTMAN_BUNDLE_DEPS)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, libc6, libssl3")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd, libc6, libstdc++6, libssl3, libspdlog1.10, libfmt9, libtomlplusplus3, libboost-json1.81.0, libboost-url1.81.0")
endif()

include(CPack)
