# What the hoist package holds besides the binary: desktop integration (menu entry,
# icons in the hicolor theme, AppStream metainfo for software centres).
if(NOT TARGET hoist)
  return()
endif()

install(TARGETS hoist RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT app)
install(FILES ${HOIST_RESOURCES_DIR}/hoist.desktop
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/applications COMPONENT app)
install(FILES ${HOIST_RESOURCES_DIR}/io.github.hoist.Hoist.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/metainfo COMPONENT app)
install(FILES ${HOIST_RESOURCES_DIR}/icons/hoist.svg
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/scalable/apps COMPONENT app)
foreach(size IN ITEMS 16 22 24 32 48 64 128 256 512)
  install(FILES ${HOIST_RESOURCES_DIR}/icons/png/hoist-${size}.png
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/icons/hicolor/${size}x${size}/apps
          RENAME hoist.png COMPONENT app)
endforeach()
install(FILES ${HOIST_DEB_DOCS} DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/hoist COMPONENT app)
install(FILES ${HOIST_DEB_MAN_DIR}/hoist.1.gz
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT app)
