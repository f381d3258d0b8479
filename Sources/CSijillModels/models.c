#include "CSijillModels.h"

// C23 #embed (clang 19+): the bytes of the committed model, read at compile time.
static const char sijill_digits_model[] = {
#embed "../../Ingest/models/digits/digits.traineddata"
};
const int sijill_digits_model_size = (int)sizeof(sijill_digits_model);

const char *sijill_digits_model_ptr(void) { return sijill_digits_model; }

static const char sijill_refs_model[] = {
#embed "../../Ingest/models/digits/refs.traineddata"
};
const int sijill_refs_model_size = (int)sizeof(sijill_refs_model);

const char *sijill_refs_model_ptr(void) { return sijill_refs_model; }
