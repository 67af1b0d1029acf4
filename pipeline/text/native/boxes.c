/* Every character's loose box of a pdfium text page in one call: the loop that `chars.loose_boxes` otherwise
 * makes through ctypes (about 0.5 us per character, a tenth of that here). Built by `make setup` into
 * boxes.so beside this file; without it the pipeline uses the ctypes loop, with the same result.
 *
 * `get_box` is pdfium's FPDFText_GetLooseCharBox (FPDF_BOOL (FPDF_TEXTPAGE, int, FS_RECTF *)), whose address the
 * caller takes from the pdfium library pypdfium2 loaded; `out` holds 4 floats (left, top, right, bottom) per
 * character, zero where pdfium has no box. */

typedef struct { float left, top, right, bottom; } rect_f;
typedef int (*get_box_f)(void *text_page, int index, rect_f *rect);

void loose_boxes(void *get_box, void *text_page, int count, float *out) {
    get_box_f get = (get_box_f)get_box;
    for (int i = 0; i < count; i++) {
        get(text_page, i, (rect_f *)(out + 4 * i));
    }
}
