# What the hoistd package holds besides the binary (server/ installs that): the
# systemd unit, the configuration in /etc/hoistd and the admin guide. Absolute
# destinations because Debian fixes these paths whatever the install prefix.
# /lib, not /usr/lib: Debian 12's systemd and lintian still expect units there.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/hoistd.service
        DESTINATION /lib/systemd/system COMPONENT server)
# Readable by root only until postinst gives the group to hoistd: both files may
# hold secrets (tokens, S3 keys, the webhook secret).
install(FILES ${CMAKE_CURRENT_LIST_DIR}/hoistd.conf ${CMAKE_CURRENT_LIST_DIR}/tokens
        DESTINATION /etc/hoistd PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
        COMPONENT server)
install(FILES ${HOIST_DEB_DOCS} ${PROJECT_SOURCE_DIR}/docs/admin.md
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/hoistd COMPONENT server)
# The hardened reverse proxy of docs/admin.md, for admins to copy into nginx.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/nginx-hoistd.conf
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/hoistd/examples COMPONENT server)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/hoistd.lintian-overrides
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides RENAME hoistd
        COMPONENT server)
install(FILES ${HOIST_DEB_MAN_DIR}/hoistd.8.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man8 COMPONENT server)
