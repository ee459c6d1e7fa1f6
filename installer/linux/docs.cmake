# What Debian wants in every package besides the program: a changelog and a
# copyright file in its doc directory, and manual pages; the generated ones carry
# the project version. Both packages come from one source at one version, so they
# share the changelog (SOURCE_DATE_EPOCH, when set, fixes its date).
string(TIMESTAMP HOIST_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(gzipped)
foreach(template IN ITEMS changelog.in man/hoistd.8.in man/hoist.1.in)
  get_filename_component(name ${template} NAME_WLE)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/${template} ${CMAKE_CURRENT_BINARY_DIR}/${name} @ONLY)
  # -n: no name or time stamp in the gzip header, which lintian flags.
  add_custom_command(
    OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/${name}.gz
    COMMAND gzip -9nkf ${CMAKE_CURRENT_BINARY_DIR}/${name}
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/${name}
    VERBATIM)
  list(APPEND gzipped ${CMAKE_CURRENT_BINARY_DIR}/${name}.gz)
endforeach()
add_custom_target(hoist_deb_docs ALL DEPENDS ${gzipped})

set(HOIST_DEB_DOCS ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz ${CMAKE_CURRENT_LIST_DIR}/copyright)
set(HOIST_DEB_MAN_DIR ${CMAKE_CURRENT_BINARY_DIR})
