# CPack DEB settings for the two Debian packages: hoist (component app) and hoistd
# (component server).
include(${CMAKE_CURRENT_LIST_DIR}/docs.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/app.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/server.cmake)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SOURCE hoist)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# CPack DEB puts any other summary above every package's own description (whose
# first line is that package's summary); its default value makes it step aside.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")

set(CPACK_DEBIAN_APP_PACKAGE_NAME hoist)
set(CPACK_DEBIAN_APP_PACKAGE_SECTION net)
# Qt loads these as plugins, so dpkg-shlibdeps cannot see them: the platform
# plugins to open a window at all, and the SVG plugin for the window icon.
set(CPACK_DEBIAN_APP_PACKAGE_DEPENDS "qt6-qpa-plugins, libqt6svg6")
set(CPACK_DEBIAN_APP_DESCRIPTION "resumable upload manager (desktop app and command line)
Hoist uploads large files to a hoistd server and resumes them where they
stopped after a network failure, a suspend or a restart. Files wait in a
queue that survives restarts, and the progress shown is what the server has
confirmed. The same engine runs on the command line (hoist upload).")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME hoistd)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/hoistd-control/conffiles
    ${CMAKE_CURRENT_LIST_DIR}/hoistd-control/postinst
    ${CMAKE_CURRENT_LIST_DIR}/hoistd-control/prerm
    ${CMAKE_CURRENT_LIST_DIR}/hoistd-control/postrm)
set(CPACK_DEBIAN_SERVER_DESCRIPTION "resumable upload server
hoistd accepts large uploads in chunks over HTTP or HTTPS and resumes them
after interruptions: each upload is a session whose offset client and server
agree on, and a file is finalized only once all its bytes are verified
(SHA-256). Bytes are staged on local disk or in S3 (multipart uploads);
finished files go into the server's own library or are handed to an
application server by a signed webhook.
.
This package runs hoistd as a hardened systemd service under its own system
user, configured in /etc/hoistd.")
