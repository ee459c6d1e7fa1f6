#pragma once

#include "file_catalog.h"
#include "finalizer.h"

namespace hoist {

// The embedded default: the staged object becomes a file of hoistd's own library,
// recorded in the catalog (GET /files).
class LibraryFinalizer final : public Finalizer {
  public:
    explicit LibraryFinalizer(FileCatalog& catalog) : m_catalog(catalog) {}
    FinalizeOutcome finalize(const Session& session) override;

  private:
    FileCatalog& m_catalog;
};

} // namespace hoist
