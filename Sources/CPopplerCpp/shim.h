/* poppler-cpp is used from C++ only (CSijillPDFReader); this module carries its flags. */
