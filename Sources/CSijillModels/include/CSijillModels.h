#ifndef CSIJILL_MODELS_H
#define CSIJILL_MODELS_H

/// Tesseract models built into the binary, so that `sijill` needs no model files beside it.
/// `digits`: a small LSTM trained here (Ingest/models/digits/train.sh) to read numbers printed
/// in Arabic fonts, in Arabic-Indic and Western digits; used by the numbers pass.
const char *sijill_digits_model_ptr(void);
extern const int sijill_digits_model_size;
/// `refs`: the same kind of model trained on numbers and on references with an Arabic letter
/// beside a slash (١٤٣/ج/٢٠٠١), read left to right as seen; used for numbers with a slash.
const char *sijill_refs_model_ptr(void);
extern const int sijill_refs_model_size;

#endif
