/* The text stage's hot loops over a page's characters, compiled: built by `make setup` into boxes.so beside this
 * file; without it the pipeline makes the same loops through ctypes and numpy, with the same results.
 *
 * `loose_boxes`: every character's loose box of a pdfium text page in one call, the loop that `chars.loose_boxes`
 * otherwise makes through ctypes (about 0.5 us per character, a tenth of that here). `get_box` is pdfium's
 * FPDFText_GetLooseCharBox (FPDF_BOOL (FPDF_TEXTPAGE, int, FS_RECTF *)), whose address the caller takes from the
 * pdfium library pypdfium2 loaded; `out` holds 4 floats (left, top, right, bottom) per character, zero where
 * pdfium has no box. */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct { float left, top, right, bottom; } rect_f;
typedef int (*get_box_f)(void *text_page, int index, rect_f *rect);

void loose_boxes(void *get_box, void *text_page, int count, float *out) {
    get_box_f get = (get_box_f)get_box;
    for (int i = 0; i < count; i++) {
        get(text_page, i, (rect_f *)(out + 4 * i));
    }
}

typedef float (*get_angle_f)(void *text_page, int index);

/* `chars.char_angles`: pdfium's rotation of the characters at `indices` (FPDFText_GetCharAngle, whose address
 * the caller takes as for `loose_boxes`), one double each. */
void char_angles(void *get_angle, void *text_page, const int64_t *indices, int64_t n, double *out) {
    get_angle_f get = (get_angle_f)get_angle;
    for (int64_t i = 0; i < n; i++) out[i] = (double)get(text_page, (int)indices[i]);
}

/* Two loops of `words.py` over a page's characters, where numpy would sort the whole page with two keys
 * (`np.lexsort`, about 0.15 ms a call on a page of 4,000 characters) to answer a question about each line:
 * without this library `words.py` does exactly that, with the same results. Floats compare as numpy sorts them:
 * NaN after every number. */


static int before(double a, double b) { return a < b || (b != b && a == a); }

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return before(x, y) ? -1 : before(y, x) ? 1 : 0;
}

/* The k-th smallest of values[0..n) (0 <= k < n, no NaN among them), reordering them: quickselect, which hands a
 * range that shrinks too slowly (a hostile input) to qsort. */
static double select_kth(double *v, int64_t n, int64_t k) {
    int64_t lo = 0, hi = n - 1, budget = 64;
    while (hi > lo) {
        if (--budget == 0) {
            qsort(v + lo, (size_t)(hi - lo + 1), sizeof(double), compare);
            return v[k];
        }
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi];
        double pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        int64_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (pivot < v[j]) j--;
            if (i <= j) {
                double t = v[i]; v[i] = v[j]; v[j] = t;
                i++; j--;
            }
        }
        if (k <= j) hi = j;
        else if (k >= i) lo = i;
        else return v[k];
    }
    return v[k];
}

/* Per segment (consecutive values: `sizes[s]` of them, segments one after the other), its q-quantile as
 * `words._per_segment_quantile` picks it: the value at rank floor(q * size) in sorted order (0 <= q < 1), 0 for
 * an empty segment. `scratch` holds as many doubles as the largest segment. */
void segment_quantiles(const double *values, const int64_t *sizes, int64_t count, double q, double *out,
                       double *scratch) {
    const double *at = values;
    for (int64_t s = 0; s < count; s++) {
        int64_t size = sizes[s], k = (int64_t)(q * (double)size), m = 0;
        if (size == 0) {
            out[s] = 0.0;
            continue;
        }
        for (int64_t i = 0; i < size; i++) {
            if (at[i] == at[i]) scratch[m++] = at[i];  /* NaN sorts last: it is the answer only past the numbers */
        }
        out[s] = k < m ? select_kth(scratch, m, k) : (double)NAN;
        at += size;
    }
}

/* Stable merge sort of the indices a[0..n) by x[index]; `tmp` holds n / 2 indices. Runs already in order (the
 * characters of a line mostly come left to right) cost one comparison per merge. */
static void sort_by_x(int64_t *a, int64_t *tmp, int64_t n, const double *x) {
    if (n <= 16) {
        for (int64_t i = 1; i < n; i++) {
            int64_t v = a[i], j = i;
            for (; j > 0 && before(x[v], x[a[j - 1]]); j--) a[j] = a[j - 1];
            a[j] = v;
        }
        return;
    }
    int64_t h = n / 2, i = 0, j = h, k = 0;
    sort_by_x(a, tmp, h, x);
    sort_by_x(a + h, tmp, n - h, x);
    if (!before(x[a[h]], x[a[h - 1]])) return;
    memcpy(tmp, a, (size_t)h * sizeof *a);
    while (i < h && j < n) a[k++] = before(x[a[j]], x[tmp[i]]) ? a[j++] : tmp[i++];
    while (i < h) a[k++] = tmp[i++];
}

/* The characters' order line by line, each line left to right: the indices sorted by (group, x), equal ones in
 * their stream order, as `np.lexsort((x, group))` gives them. 0 <= group < groups; `order` and `scratch` hold n
 * indices, `starts` groups + 1. */
void line_order(const int64_t *group, const double *x, int64_t n, int64_t groups, int64_t *order, int64_t *scratch,
                int64_t *starts) {
    memset(starts, 0, (size_t)(groups + 1) * sizeof *starts);
    for (int64_t i = 0; i < n; i++) starts[group[i] + 1]++;
    for (int64_t g = 0; g < groups; g++) starts[g + 1] += starts[g];
    memcpy(scratch, starts, (size_t)groups * sizeof *starts);
    for (int64_t i = 0; i < n; i++) order[scratch[group[i]]++] = i;
    for (int64_t g = 0; g < groups; g++) sort_by_x(order + starts[g], scratch, starts[g + 1] - starts[g], x);
}
