/* A page's characters read from PDFium once, and the text inside rectangles cut from them.
 *
 * reams reads the text of each cell of a ruled table with PDFium's FPDFText_GetBoundedText,
 * which walks every character of the page for every cell and costs a ctypes call, a buffer copy
 * and a decode each time. Here the characters (code point, box, origin) are read once per page
 * through PDFium's own functions, whose addresses the caller takes from pypdfium2's ctypes
 * bindings (nothing links against libpdfium at build time), and ``bounded`` gives the text of
 * a rectangle exactly as FPDFText_GetBoundedText would (CPDF_TextPage::GetTextByRect: the same
 * float arithmetic, line breaks and spaces, UTF-16 encoding and buffer bound).
 *
 * The module is optional: without a compiler reams uses the ctypes path (grids.bounded_text).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef int (*count_fn)(void *);
typedef unsigned int (*unicode_fn)(void *, int);
typedef int (*box_fn)(void *, int, double *, double *, double *, double *);
typedef int (*origin_fn)(void *, int, double *, double *);

/* One character as PDFium keeps it: floats (CPDF_TextPage::CharInfo). */
typedef struct {
    float left, right, bottom, top; /* m_CharBox, normalised (left <= right, bottom <= top) */
    float y;                        /* m_Origin.y */
    uint32_t unicode;               /* m_Unicode */
} Char;

static PyObject *page_chars(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long page, count_addr, unicode_addr, box_addr, origin_addr;
    if (!PyArg_ParseTuple(args, "KKKKK", &page, &count_addr, &unicode_addr, &box_addr,
                          &origin_addr))
        return NULL;
    if (!page || !count_addr || !unicode_addr || !box_addr || !origin_addr) {
        PyErr_SetString(PyExc_ValueError, "page_chars needs a text page and four functions");
        return NULL;
    }
    void *handle = (void *)(uintptr_t)page;
    int count = ((count_fn)(uintptr_t)count_addr)(handle);
    if (count < 0)
        count = 0;
    PyObject *result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)count * sizeof(Char));
    if (!result)
        return NULL;
    Char *chars = (Char *)PyBytes_AS_STRING(result);
    unicode_fn get_unicode = (unicode_fn)(uintptr_t)unicode_addr;
    box_fn get_box = (box_fn)(uintptr_t)box_addr;
    origin_fn get_origin = (origin_fn)(uintptr_t)origin_addr;
    for (int i = 0; i < count; i++) {
        double left = 0, right = 0, bottom = 0, top = 0, x = 0, y = 0;
        get_box(handle, i, &left, &right, &bottom, &top);
        get_origin(handle, i, &x, &y);
        Char *c = &chars[i];
        /* The doubles PDFium hands out are its floats widened: narrowing them is exact. The
         * box is kept normalised, as the rectangle test normalises a copy of it each time. */
        float l = (float)left, r = (float)right, b = (float)bottom, t = (float)top;
        c->left = l > r ? r : l;
        c->right = l > r ? l : r;
        c->bottom = b > t ? t : b;
        c->top = b > t ? b : t;
        c->y = (float)y;
        c->unicode = get_unicode(handle, i);
    }
    return result;
}

/* std::max / std::min as PDFium calls them (the first argument wins ties and NaNs). */
static inline float fmax_std(float a, float b) { return a < b ? b : a; }
static inline float fmin_std(float a, float b) { return b < a ? b : a; }

/* IsRectIntersect(rect, char box): CFX_FloatRect::Intersect on normalised copies, then
 * !IsEmpty(). */
static inline int intersects(float l, float r, float b, float t, const Char *c) {
    float cl = c->left, cr = c->right, cb = c->bottom, ct = c->top; /* normalised */
    float il = fmax_std(l, cl), ib = fmax_std(b, cb);
    float ir = fmin_std(r, cr), it = fmin_std(t, ct);
    if (il > ir || ib > it)
        return 0; /* reset to an empty rectangle */
    return !(il >= ir || ib >= it);
}

typedef struct {
    uint16_t *units;
    Py_ssize_t length, capacity;
} Units;

static int push(Units *u, uint16_t unit) {
    if (u->length == u->capacity) {
        Py_ssize_t capacity = u->capacity ? 2 * u->capacity : 256;
        uint16_t *grown = PyMem_Realloc(u->units, capacity * sizeof(uint16_t));
        if (!grown)
            return -1;
        u->units = grown;
        u->capacity = capacity;
    }
    u->units[u->length++] = unit;
    return 0;
}

/* A code point as WideString::ToUTF16LE writes it. */
static int push_code_point(Units *u, uint32_t c) {
    if (c >= 0x10000 && c <= 0x10FFFF) {
        c -= 0x10000;
        if (push(u, (uint16_t)(0xD800 + (c >> 10))) < 0)
            return -1;
        return push(u, (uint16_t)(0xDC00 + (c & 0x3FF)));
    }
    return push(u, (uint16_t)c);
}

/* CPDF_TextPage::GetTextByPredicate with the rectangle test, as UTF-16 units. */
static int text_by_rect(const Char *chars, Py_ssize_t count, float l, float r, float b, float t,
                        Units *out) {
    float posy = 0;
    int contains_previous = 0, add_line_feed = 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        const Char *c = &chars[i];
        if (intersects(l, r, b, t, c)) {
            float shift = posy - c->y;
            if (fabs(shift) > 0 && !contains_previous && add_line_feed) {
                posy = c->y;
                if (out->length && (push(out, '\r') < 0 || push(out, '\n') < 0))
                    return -1;
            }
            contains_previous = 1;
            add_line_feed = 0;
            if (c->unicode && push_code_point(out, c->unicode) < 0)
                return -1;
        } else if (c->unicode == ' ') {
            if (contains_previous) {
                if (push(out, ' ') < 0)
                    return -1;
                contains_previous = 0;
                add_line_feed = 0;
            }
        } else {
            contains_previous = 0;
            add_line_feed = 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ an index of the chars */

/* The characters by horizontal band of the page (``across``: by vertical band, for a page
 * shown turned a quarter, whose table rows run up the page), so that a rectangle visits only
 * those in the bands it spans: [header][offsets: bands + 1][members][always][prefix: count +
 * 1], int32. A character without finite bounds along the axis is in ``always``; ``prefix``
 * counts the characters other than a space before each index (what the text between two
 * matches depends on). */
typedef struct {
    Py_ssize_t count, bands, members, always;
    double low, height;
    int across;
} Index;

/* A character's extent along the index's axis: bottom and top, or left and right across. */
static inline float low_of(int across, const Char *c) { return across ? c->left : c->bottom; }
static inline float high_of(int across, const Char *c) { return across ? c->right : c->top; }
static inline int banded(int across, const Char *c) {
    return isfinite(low_of(across, c)) && isfinite(high_of(across, c));
}

static inline Py_ssize_t band_of(const Index *index, double y) {
    double band = floor((y - index->low) / index->height);
    if (!(band >= 0))
        return 0;
    if (band >= (double)index->bands)
        return index->bands - 1;
    return (Py_ssize_t)band;
}

static int32_t *index_offsets(const Index *index) { return (int32_t *)(index + 1); }

static PyObject *char_index(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer buffer;
    int across = 0;
    if (!PyArg_ParseTuple(args, "y*|p", &buffer, &across))
        return NULL;
    const Char *chars = buffer.buf;
    Index head = {buffer.len / (Py_ssize_t)sizeof(Char), 1, 0, 0, 0.0, 1.0, across};
    double low = INFINITY, high = -INFINITY;
    for (Py_ssize_t i = 0; i < head.count; i++) {
        if (banded(across, &chars[i])) {
            low = fmin(low, low_of(across, &chars[i]));
            high = fmax(high, high_of(across, &chars[i]));
        } else
            head.always++;
    }
    if (high > low) {
        /* Bands about as tall as a line of small print, so that a character spans two or
         * three of them; at most 1024 of them. */
        head.height = fmax((high - low) / 1024.0, 6.0);
        head.bands = (Py_ssize_t)ceil((high - low) / head.height);
        if (head.bands < 1)
            head.bands = 1;
        head.low = low;
    }
    for (Py_ssize_t i = 0; i < head.count; i++)
        if (banded(across, &chars[i]))
            head.members += band_of(&head, high_of(across, &chars[i])) -
                            band_of(&head, low_of(across, &chars[i])) + 1;
    Py_ssize_t ints = head.bands + 1 + head.members + head.always + head.count + 1;
    PyObject *result = PyBytes_FromStringAndSize(NULL, sizeof(Index) + ints * sizeof(int32_t));
    if (!result) {
        PyBuffer_Release(&buffer);
        return NULL;
    }
    Index *index = (Index *)PyBytes_AS_STRING(result);
    *index = head;
    int32_t *offsets = index_offsets(index), *members = offsets + head.bands + 1;
    int32_t *always = members + head.members, *prefix = always + head.always;
    memset(offsets, 0, (head.bands + 1) * sizeof(int32_t));
    Py_ssize_t next_always = 0;
    prefix[0] = 0;
    for (Py_ssize_t i = 0; i < head.count; i++) {
        prefix[i + 1] = prefix[i] + (chars[i].unicode != ' ');
        if (!banded(across, &chars[i])) {
            always[next_always++] = (int32_t)i;
            continue;
        }
        Py_ssize_t last = band_of(index, high_of(across, &chars[i]));
        for (Py_ssize_t k = band_of(index, low_of(across, &chars[i])); k <= last; k++)
            offsets[k + 1]++;
    }
    for (Py_ssize_t k = 0; k < head.bands; k++)
        offsets[k + 1] += offsets[k];
    int32_t *fill = PyMem_Malloc(head.bands * sizeof(int32_t));
    if (!fill) {
        Py_DECREF(result);
        PyBuffer_Release(&buffer);
        return PyErr_NoMemory();
    }
    memcpy(fill, offsets, head.bands * sizeof(int32_t));
    for (Py_ssize_t i = 0; i < head.count; i++) {
        if (!banded(across, &chars[i]))
            continue;
        Py_ssize_t last = band_of(index, high_of(across, &chars[i]));
        for (Py_ssize_t k = band_of(index, low_of(across, &chars[i])); k <= last; k++)
            members[fill[k]++] = (int32_t)i;
    }
    PyMem_Free(fill);
    PyBuffer_Release(&buffer);
    return result;
}

static int by_value(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* The characters of ``chars`` inside the rectangle, in page order, through the index. */
static Py_ssize_t matches(const Char *chars, const Index *index, float l, float r, float b,
                          float t, int32_t **out) {
    const int32_t *offsets = index_offsets(index), *members = offsets + index->bands + 1;
    const int32_t *always = members + index->members;
    int across = index->across;
    Py_ssize_t first = band_of(index, across ? l : b), last = band_of(index, across ? r : t);
    Py_ssize_t room = offsets[last + 1] - offsets[first] + index->always;
    int32_t *found = PyMem_Malloc((room + 1) * sizeof(int32_t));
    if (!found)
        return -1;
    Py_ssize_t n = 0;
    for (Py_ssize_t k = first; k <= last; k++)
        for (Py_ssize_t m = offsets[k]; m < offsets[k + 1]; m++) {
            int32_t i = members[m];
            Py_ssize_t lowest = band_of(index, low_of(across, &chars[i]));
            /* Listed in each band it spans: tested in the first of them the rectangle spans. */
            if ((lowest > first ? lowest : first) == k && intersects(l, r, b, t, &chars[i]))
                found[n++] = i;
        }
    for (Py_ssize_t k = 0; k < index->always; k++)
        if (intersects(l, r, b, t, &chars[always[k]]))
            found[n++] = always[k];
    qsort(found, n, sizeof(int32_t), by_value);
    *out = found;
    return n;
}

/* text_by_rect from the matching characters alone: between two matches every character is
 * outside the rectangle, so what they add is told by the first of them (a space) and whether
 * any is not a space (``prefix``). */
static int text_of_matches(const Char *chars, Py_ssize_t count, const int32_t *prefix,
                           const int32_t *found, Py_ssize_t n, Units *out) {
    float posy = 0;
    int contains_previous = 0, add_line_feed = 0;
    Py_ssize_t previous = -1;
    for (Py_ssize_t m = 0; m < n; m++) {
        Py_ssize_t j = found[m];
        if (previous < 0)
            add_line_feed = prefix[j] > 0;
        else if (j > previous + 1) {
            contains_previous = 0;
            if (chars[previous + 1].unicode == ' ') {
                if (push(out, ' ') < 0)
                    return -1;
                add_line_feed = prefix[j] - prefix[previous + 2] > 0;
            } else
                add_line_feed = 1;
        }
        const Char *c = &chars[j];
        float shift = posy - c->y;
        if (fabs(shift) > 0 && !contains_previous && add_line_feed) {
            posy = c->y;
            if (out->length && (push(out, '\r') < 0 || push(out, '\n') < 0))
                return -1;
        }
        contains_previous = 1;
        add_line_feed = 0;
        if (c->unicode && push_code_point(out, c->unicode) < 0)
            return -1;
        previous = j;
    }
    if (previous >= 0 && previous + 1 < count && chars[previous + 1].unicode == ' ')
        return push(out, ' ');
    return 0;
}

static int indexed_text(const Char *chars, Py_ssize_t count, const Index *index, float l,
                        float r, float b, float t, Units *out) {
    int32_t *found = NULL;
    Py_ssize_t n = matches(chars, index, l, r, b, t, &found);
    if (n < 0)
        return -1;
    const int32_t *offsets = index_offsets(index);
    const int32_t *prefix = offsets + index->bands + 1 + index->members + index->always;
    int failed = text_of_matches(chars, count, prefix, found, n, out);
    PyMem_Free(found);
    return failed;
}

/* Whether the index spares the rectangle most of the page: a rectangle spanning much of it
 * (a whole table) is read by a walk of every character, which costs less then. */
static int few_visited(const Index *index, Py_ssize_t count, float l, float r, float b,
                       float t) {
    if (!index || index->count != count)
        return 0;
    if (index->across) {
        b = l;
        t = r;
    }
    if (!isfinite(b) || !isfinite(t))
        return 0;
    const int32_t *offsets = index_offsets(index);
    Py_ssize_t visited = offsets[band_of(index, t) + 1] - offsets[band_of(index, b)];
    return 4 * visited < count;
}

/* The text of one rectangle (PDF page space: left, top, right, bottom), as
 * FPDFText_GetBoundedText writes it into a buffer of ``buflen`` units, decoded. */
static PyObject *rect_text(const Char *chars, Py_ssize_t count, const Index *index, double left,
                           double top, double right, double bottom, Py_ssize_t buflen) {
    /* CFX_FloatRect((float)left, (float)bottom, (float)right, (float)top), normalised by
     * Intersect. */
    float l = (float)left, r = (float)right, b = (float)bottom, t = (float)top;
    if (l > r) {
        float s = l;
        l = r;
        r = s;
    }
    if (b > t) {
        float s = b;
        b = t;
        t = s;
    }
    Units out = {NULL, 0, 0};
    int failed = few_visited(index, count, l, r, b, t)
                     ? indexed_text(chars, count, index, l, r, b, t, &out)
                     : text_by_rect(chars, count, l, r, b, t, &out);
    if (failed < 0 || push(&out, 0) < 0) { /* ToUTF16LE's terminator */
        PyMem_Free(out.units);
        return PyErr_NoMemory();
    }
    /* The caller's buffer holds ``buflen`` units; what does not fit is cut, as PDFium does. */
    Py_ssize_t length = out.length < buflen ? out.length : buflen;
    while (length > 0 && out.units[length - 1] == 0)
        length--;
    int order = -1; /* little-endian */
    PyObject *text =
        PyUnicode_DecodeUTF16((const char *)out.units, 2 * length, "replace", &order);
    PyMem_Free(out.units);
    return text;
}

static const Index *index_of(const Py_buffer *index_buffer) {
    return index_buffer->len >= (Py_ssize_t)sizeof(Index) ? index_buffer->buf : NULL;
}

static PyObject *bounded(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer buffer, index_buffer;
    double left, top, right, bottom;
    Py_ssize_t buflen;
    if (!PyArg_ParseTuple(args, "y*y*ddddn", &buffer, &index_buffer, &left, &top, &right,
                          &bottom, &buflen))
        return NULL;
    PyObject *text = rect_text(buffer.buf, buffer.len / (Py_ssize_t)sizeof(Char),
                               index_of(&index_buffer), left, top, right, bottom, buflen);
    PyBuffer_Release(&buffer);
    PyBuffer_Release(&index_buffer);
    return text;
}

/* geometry.Turn.back: a point of the page as displayed back in PDF user space. */
static void turn_back(int rotation, double width, double height, double x, double y,
                      double *px, double *py) {
    *px = x;
    *py = y;
    if (rotation == 90) {
        *px = height - y;
        *py = x;
    } else if (rotation == 180) {
        *px = width - x;
        *py = height - y;
    } else if (rotation == 270) {
        *px = y;
        *py = width - x;
    }
}

/* grids._pdf_rect: a display rectangle (left, right, top, bottom) as PDFium takes it (left,
 * top, right, bottom in page space), with Python's min and max of the turned corners. */
static int pdf_rect(PyObject *rect, int rotation, double width, double height, double out[4]) {
    double left, right, top, bottom;
    if (!PyArg_ParseTuple(rect, "dddd", &left, &right, &top, &bottom))
        return -1;
    if (!rotation) {
        out[0] = left, out[1] = top, out[2] = right, out[3] = bottom;
        return 0;
    }
    double x0, y0, x1, y1;
    turn_back(rotation, width, height, left, top, &x0, &y0);
    turn_back(rotation, width, height, right, bottom, &x1, &y1);
    out[0] = x1 < x0 ? x1 : x0;
    out[1] = y1 > y0 ? y1 : y0;
    out[2] = x1 > x0 ? x1 : x0;
    out[3] = y1 < y0 ? y1 : y0;
    return 0;
}

/* grids' text of each display rectangle of a list (a lattice's cells) in one call: bounded
 * after grids._pdf_rect with the page's Turn (rotation 0: not turned). */
static PyObject *bounded_all(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer buffer, index_buffer;
    PyObject *rects;
    Py_ssize_t buflen;
    int rotation;
    double width, height;
    if (!PyArg_ParseTuple(args, "y*y*O!nidd", &buffer, &index_buffer, &PyList_Type, &rects,
                          &buflen, &rotation, &width, &height))
        return NULL;
    const Char *chars = buffer.buf;
    Py_ssize_t count = buffer.len / (Py_ssize_t)sizeof(Char);
    const Index *index = index_of(&index_buffer);
    Py_ssize_t n = PyList_GET_SIZE(rects);
    PyObject *texts = PyList_New(n);
    for (Py_ssize_t i = 0; texts && i < n; i++) {
        double r[4];
        PyObject *text = NULL;
        if (pdf_rect(PyList_GET_ITEM(rects, i), rotation, width, height, r) == 0)
            text = rect_text(chars, count, index, r[0], r[1], r[2], r[3], buflen);
        if (!text)
            Py_CLEAR(texts);
        else
            PyList_SET_ITEM(texts, i, text);
    }
    PyBuffer_Release(&buffer);
    PyBuffer_Release(&index_buffer);
    return texts;
}

typedef void *(*segment_fn)(void *, int);
typedef int (*point_fn)(void *, float *, float *);
typedef int (*segment_int_fn)(void *);

static int append_stroke(PyObject *lines, double x0, double y0, double x1, double y1) {
    PyObject *line = Py_BuildValue("(dddd)", x0, y0, x1, y1);
    if (!line)
        return -1;
    int failed = PyList_Append(lines, line);
    Py_DECREF(line);
    return failed;
}

/* rules._Reader._strokes: the straight strokes (x0, y0, x1, y1) of a path object of many
 * segments, its points mapped through ``matrix`` with the same double arithmetic. */
static PyObject *strokes(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long obj, segment_addr, point_addr, type_addr, close_addr;
    int segments, line_to, move_to;
    double a, b, c, d, e, f;
    if (!PyArg_ParseTuple(args, "Ki(dddddd)KKKKii", &obj, &segments, &a, &b, &c, &d, &e, &f,
                          &segment_addr, &point_addr, &type_addr, &close_addr, &line_to,
                          &move_to))
        return NULL;
    if (!obj || !segment_addr || !point_addr || !type_addr || !close_addr) {
        PyErr_SetString(PyExc_ValueError, "strokes needs a path object and four functions");
        return NULL;
    }
    segment_fn get_segment = (segment_fn)(uintptr_t)segment_addr;
    point_fn get_point = (point_fn)(uintptr_t)point_addr;
    segment_int_fn segment_type = (segment_int_fn)(uintptr_t)type_addr;
    segment_int_fn segment_close = (segment_int_fn)(uintptr_t)close_addr;
    PyObject *lines = PyList_New(0);
    if (!lines)
        return NULL;
    void *path = (void *)(uintptr_t)obj;
    int have_start = 0, have_previous = 0;
    double start_x = 0, start_y = 0, previous_x = 0, previous_y = 0;
    for (int index = 0; index < segments; index++) {
        void *segment = get_segment(path, index);
        float fx = 0, fy = 0;
        if (!get_point(segment, &fx, &fy))
            continue;
        double px = fx, py = fy;
        double x = a * px + c * py + e, y = b * px + d * py + f;
        int kind = segment_type(segment);
        if (kind == line_to && have_previous) {
            if (append_stroke(lines, previous_x, previous_y, x, y) < 0)
                goto error;
        } else if (kind == move_to) {
            start_x = x;
            start_y = y;
            have_start = 1;
        }
        if (segment_close(segment) && have_start && append_stroke(lines, x, y, start_x, start_y) < 0)
            goto error;
        previous_x = x;
        previous_y = y;
        have_previous = 1;
    }
    return lines;
error:
    Py_DECREF(lines);
    return NULL;
}

/* ------------------------------------------------------------------ page objects */

typedef struct {
    float a, b, c, d, e, f;
} FSMatrix;

typedef struct {
    double m[6];
} Matrix;

typedef void *(*object_at_fn)(void *, int);
typedef void *(*form_object_at_fn)(void *, unsigned long);
typedef int (*object_int_fn)(void *);
typedef int (*bounds_fn)(void *, float *, float *, float *, float *);
typedef int (*matrix_fn)(void *, FSMatrix *);

static const Matrix identity = {{1.0, 0.0, 0.0, 1.0, 0.0, 0.0}};

/* geometry.apply and geometry.compose, with the same operations in the same order. */
static void apply(const Matrix *m, double x, double y, double *out_x, double *out_y) {
    *out_x = m->m[0] * x + m->m[2] * y + m->m[4];
    *out_y = m->m[1] * x + m->m[3] * y + m->m[5];
}

static Matrix compose(const Matrix *inner, const Matrix *outer) {
    const double *i = inner->m, *o = outer->m;
    Matrix r;
    apply(outer, i[4], i[5], &r.m[4], &r.m[5]);
    r.m[0] = i[0] * o[0] + i[1] * o[2];
    r.m[1] = i[0] * o[1] + i[1] * o[3];
    r.m[2] = i[2] * o[0] + i[3] * o[2];
    r.m[3] = i[2] * o[1] + i[3] * o[3];
    return r;
}

static Matrix widened(const FSMatrix *m) {
    Matrix r = {{m->a, m->b, m->c, m->d, m->e, m->f}};
    return r;
}

static PyObject *matrix_tuple(const Matrix *m) {
    return Py_BuildValue("(dddddd)", m->m[0], m->m[1], m->m[2], m->m[3], m->m[4], m->m[5]);
}

static int append_quad(PyObject *list, double a, double b, double c, double d) {
    PyObject *item = Py_BuildValue("(dddd)", a, b, c, d);
    if (!item)
        return -1;
    int failed = PyList_Append(list, item);
    Py_DECREF(item);
    return failed;
}

typedef struct {
    object_at_fn page_object;
    form_object_at_fn form_object;
    object_int_fn get_type, form_count;
    bounds_fn get_bounds;
    matrix_fn get_matrix;
    int path_kind, image_kind, form_kind, max_objects, max_depth;
    long seen;
    PyObject *boxes, *paths;
} Walk;

static int walk_object(Walk *w, void *obj, const Matrix *parent, int depth);

/* images._Finder.walk over the objects of a form XObject (or, with ``page``, of the page). */
static int walk_objects(Walk *w, void *owner, int count, int page, const Matrix *parent,
                        int depth) {
    for (int i = 0; i < count; i++) {
        void *obj = page ? w->page_object(owner, i) : w->form_object(owner, (unsigned long)i);
        w->seen++;
        if (w->seen > w->max_objects)
            return 1; /* the bound: every level stops, the paths are incomplete */
        int stop = walk_object(w, obj, parent, depth);
        if (stop)
            return stop;
    }
    return 0;
}

static int walk_object(Walk *w, void *obj, const Matrix *parent, int depth) {
    int kind = w->get_type(obj);
    if (kind == w->path_kind) {
        PyObject *matrix = matrix_tuple(parent);
        PyObject *item = matrix ? Py_BuildValue("(KN)", (unsigned long long)(uintptr_t)obj,
                                                matrix)
                                : NULL;
        if (!item)
            return -1;
        int failed = PyList_Append(w->paths, item);
        Py_DECREF(item);
        return failed;
    }
    if (kind == w->image_kind) {
        float left, bottom, right, top;
        if (!w->get_bounds(obj, &left, &bottom, &right, &top))
            return 0;
        double x0, y0, x1, y1;
        apply(parent, left, bottom, &x0, &y0);
        apply(parent, right, top, &x1, &y1);
        return append_quad(w->boxes, x0, y0, x1, y1);
    }
    if (kind == w->form_kind && depth < w->max_depth) {
        int count = w->form_count(obj);
        Matrix inner = *parent;
        FSMatrix m;
        if (w->get_matrix(obj, &m)) {
            Matrix own = widened(&m);
            inner = compose(&own, parent);
        }
        return walk_objects(w, obj, count, 0, &inner, depth + 1);
    }
    return 0;
}

/* images.read_objects' walk: (whether the bound stopped it, image boxes, path objects). */
static PyObject *walk(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long page, fns[6];
    int count;
    Walk w = {0};
    if (!PyArg_ParseTuple(args, "Ki(KKKKKK)(iiiii)", &page, &count, &fns[0], &fns[1], &fns[2],
                          &fns[3], &fns[4], &fns[5], &w.path_kind, &w.image_kind, &w.form_kind,
                          &w.max_objects, &w.max_depth))
        return NULL;
    for (int i = 0; i < 6; i++)
        if (!fns[i]) {
            PyErr_SetString(PyExc_ValueError, "walk needs six PDFium functions");
            return NULL;
        }
    w.page_object = (object_at_fn)(uintptr_t)fns[0];
    w.form_object = (form_object_at_fn)(uintptr_t)fns[1];
    w.get_type = (object_int_fn)(uintptr_t)fns[2];
    w.form_count = (object_int_fn)(uintptr_t)fns[3];
    w.get_bounds = (bounds_fn)(uintptr_t)fns[4];
    w.get_matrix = (matrix_fn)(uintptr_t)fns[5];
    w.boxes = PyList_New(0);
    w.paths = PyList_New(0);
    if (!w.boxes || !w.paths)
        goto error;
    int stop = walk_objects(&w, (void *)(uintptr_t)page, count, 1, &identity, 0);
    if (stop < 0)
        goto error;
    return Py_BuildValue("(ONN)", stop ? Py_True : Py_False, w.boxes, w.paths);
error:
    Py_XDECREF(w.boxes);
    Py_XDECREF(w.paths);
    return NULL;
}

/* ------------------------------------------------------------------ rules of paths */

typedef struct {
    object_int_fn count_segments;
    bounds_fn get_bounds;
    matrix_fn get_matrix;
    segment_fn get_segment;
    point_fn get_point;
    segment_int_fn segment_type, segment_close;
    int line_to, move_to, simple_segments;
    long max_segments, segments;
    double thin;
    PyObject *lines;
} Paths;

/* rules._Reader._box: a simple path by its bounds, one rule if thin, else four edges. */
static int path_box(Paths *p, void *obj, const Matrix *parent) {
    float fl, fb, fr, ft;
    if (!p->get_bounds(obj, &fl, &fb, &fr, &ft))
        return 0;
    double left = fl, bottom = fb, right = fr, top = ft;
    const double *m = parent->m;
    double x0 = m[0] * left + m[2] * bottom + m[4], y0 = m[1] * left + m[3] * bottom + m[5];
    double x1 = m[0] * right + m[2] * top + m[4], y1 = m[1] * right + m[3] * top + m[5];
    int thin_y = fabs(y1 - y0) <= p->thin;
    if (thin_y || fabs(x1 - x0) <= p->thin) {
        double middle_y = (y0 + y1) / 2, middle_x = (x0 + x1) / 2;
        return thin_y ? append_quad(p->lines, x0, middle_y, x1, middle_y)
                      : append_quad(p->lines, middle_x, y0, middle_x, y1);
    }
    if (append_quad(p->lines, x0, y0, x1, y0) < 0 || append_quad(p->lines, x0, y1, x1, y1) < 0 ||
        append_quad(p->lines, x0, y0, x0, y1) < 0 || append_quad(p->lines, x1, y0, x1, y1) < 0)
        return -1;
    return 0;
}

/* rules._Reader._strokes. */
static int path_strokes(Paths *p, void *obj, const Matrix *matrix, int segments) {
    const double *m = matrix->m;
    int have_start = 0, have_previous = 0;
    double start_x = 0, start_y = 0, previous_x = 0, previous_y = 0;
    for (int index = 0; index < segments; index++) {
        void *segment = p->get_segment(obj, index);
        float fx = 0, fy = 0;
        if (!p->get_point(segment, &fx, &fy))
            continue;
        double px = fx, py = fy;
        double x = m[0] * px + m[2] * py + m[4], y = m[1] * px + m[3] * py + m[5];
        int kind = p->segment_type(segment);
        if (kind == p->line_to && have_previous) {
            if (append_quad(p->lines, previous_x, previous_y, x, y) < 0)
                return -1;
        } else if (kind == p->move_to) {
            start_x = x;
            start_y = y;
            have_start = 1;
        }
        if (p->segment_close(segment) && have_start &&
            append_quad(p->lines, x, y, start_x, start_y) < 0)
            return -1;
        previous_x = x;
        previous_y = y;
        have_previous = 1;
    }
    return 0;
}

/* rules._Reader.path over a list of (path object, parent matrix). */
static PyObject *path_lines(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *items;
    unsigned long long fns[7];
    Paths p = {0};
    if (!PyArg_ParseTuple(args, "O!(KKKKKKK)(iiil)d", &PyList_Type, &items, &fns[0], &fns[1],
                          &fns[2], &fns[3], &fns[4], &fns[5], &fns[6], &p.line_to, &p.move_to,
                          &p.simple_segments, &p.max_segments, &p.thin))
        return NULL;
    for (int i = 0; i < 7; i++)
        if (!fns[i]) {
            PyErr_SetString(PyExc_ValueError, "path_lines needs seven PDFium functions");
            return NULL;
        }
    p.count_segments = (object_int_fn)(uintptr_t)fns[0];
    p.get_bounds = (bounds_fn)(uintptr_t)fns[1];
    p.get_matrix = (matrix_fn)(uintptr_t)fns[2];
    p.get_segment = (segment_fn)(uintptr_t)fns[3];
    p.get_point = (point_fn)(uintptr_t)fns[4];
    p.segment_type = (segment_int_fn)(uintptr_t)fns[5];
    p.segment_close = (segment_int_fn)(uintptr_t)fns[6];
    p.lines = PyList_New(0);
    if (!p.lines)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(items);
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long long address;
        Matrix parent;
        PyObject *item = PyList_GET_ITEM(items, i);
        if (!PyArg_ParseTuple(item, "K(dddddd)", &address, &parent.m[0], &parent.m[1],
                              &parent.m[2], &parent.m[3], &parent.m[4], &parent.m[5]))
            goto error;
        void *obj = (void *)(uintptr_t)address;
        int segments = p.count_segments(obj);
        int failed = 0;
        if (segments <= p.simple_segments)
            failed = path_box(&p, obj, &parent);
        else if (p.segments + segments <= p.max_segments) {
            p.segments += segments;
            FSMatrix fm;
            Matrix own = identity;
            if (p.get_matrix(obj, &fm))
                own = widened(&fm);
            Matrix matrix = compose(&own, &parent);
            failed = path_strokes(&p, obj, &matrix, segments);
        }
        if (failed < 0)
            goto error;
    }
    return p.lines;
error:
    Py_DECREF(p.lines);
    return NULL;
}

/* ------------------------------------------------------------------ structure tree */

typedef void *(*child_fn)(void *, int);
typedef int (*child_int_fn)(void *, int);

typedef struct {
    object_int_fn count;
    child_fn child;
    child_int_fn child_mcid, mcid_at;
    object_int_fn mcid_count;
    long seen, max_elements;
    int max_depth;
    PyObject *ranks;
} Tree;

static int rank(Tree *t, int mcid) {
    if (mcid < 0)
        return 0;
    PyObject *key = PyLong_FromLong(mcid);
    if (!key)
        return -1;
    int found = PyDict_Contains(t->ranks, key);
    int failed = found < 0;
    if (!found) {
        PyObject *value = PyLong_FromSsize_t(PyDict_GET_SIZE(t->ranks));
        failed = !value || PyDict_SetItem(t->ranks, key, value) < 0;
        Py_XDECREF(value);
    }
    Py_DECREF(key);
    return failed ? -1 : 0;
}

/* structure._Walker.walk. */
static int walk_element(Tree *t, void *element, int depth) {
    t->seen++;
    if (t->seen > t->max_elements || depth > t->max_depth)
        return 0;
    int count = t->count(element);
    for (int index = 0; index < count; index++) {
        void *child = t->child(element, index);
        int failed = child ? walk_element(t, child, depth + 1)
                           : rank(t, t->child_mcid(element, index));
        if (failed < 0)
            return -1;
    }
    if (count <= 0) {
        int ids = t->mcid_count(element);
        for (int index = 0; index < ids; index++)
            if (rank(t, t->mcid_at(element, index)) < 0)
                return -1;
    }
    return 0;
}

/* structure_ranks' walk of the top elements given: MCID -> rank. */
static PyObject *structure(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *elements;
    unsigned long long fns[5];
    Tree t = {0};
    if (!PyArg_ParseTuple(args, "O!(KKKKK)li", &PyList_Type, &elements, &fns[0], &fns[1],
                          &fns[2], &fns[3], &fns[4], &t.max_elements, &t.max_depth))
        return NULL;
    for (int i = 0; i < 5; i++)
        if (!fns[i]) {
            PyErr_SetString(PyExc_ValueError, "structure needs five PDFium functions");
            return NULL;
        }
    t.count = (object_int_fn)(uintptr_t)fns[0];
    t.child = (child_fn)(uintptr_t)fns[1];
    t.child_mcid = (child_int_fn)(uintptr_t)fns[2];
    t.mcid_count = (object_int_fn)(uintptr_t)fns[3];
    t.mcid_at = (child_int_fn)(uintptr_t)fns[4];
    t.ranks = PyDict_New();
    if (!t.ranks)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(elements);
    for (Py_ssize_t i = 0; i < n; i++) {
        unsigned long long address = PyLong_AsUnsignedLongLong(PyList_GET_ITEM(elements, i));
        if (PyErr_Occurred() || walk_element(&t, (void *)(uintptr_t)address, 0) < 0) {
            Py_DECREF(t.ranks);
            return NULL;
        }
    }
    return t.ranks;
}

/* ------------------------------------------------------------------ pieces of a line */

/* Python's max(a, b) and min(a, b) on floats: the first unless the second is greater (less). */
static inline double py_max(double a, double b) { return b > a ? b : a; }
static inline double py_min(double a, double b) { return b < a ? b : a; }

typedef struct {
    int ok;
    double left, right; /* the box's left and right as PDFium gives them */
} Span;

typedef struct {
    Py_ssize_t at, resume;
    Span before, after;
    double width;
} Gap;

/* geometry.Turn of a page shown with /Rotate: 0 leaves PDFium's boxes as they are. */
typedef struct {
    int rotation;
    double width, height;
} PageTurn;

/* The character's left and right along the text: on a turned page, text._Locator._span's
 * Turn(left, bottom) and Turn(right, top) by quarter, then Python's min and max of the two. */
static Span char_span(box_fn get_box, void *page, Py_ssize_t index, const PageTurn *turn) {
    Span span = {0, 0, 0};
    double left, right, bottom, top;
    if (!get_box(page, (int)index, &left, &right, &bottom, &top))
        return span;
    span.ok = 1;
    if (!turn->rotation) {
        span.left = left;
        span.right = right;
        return span;
    }
    double a = left, b = right;
    if (turn->rotation == 90) {
        a = bottom;
        b = top;
    } else if (turn->rotation == 180) {
        a = turn->width - left;
        b = turn->width - right;
    } else if (turn->rotation == 270) {
        a = turn->width - bottom;
        b = turn->width - top;
    }
    span.left = b < a ? b : a;
    span.right = b > a ? b : a;
    return span;
}

/* text._piece: a piece spans its first and last characters' edges (the line's without). */
static PyObject *piece(PyObject *text, Py_ssize_t begin, Py_ssize_t end, Span first, Span last,
                       double line_left, double line_right) {
    double edges[4];
    int n = 0;
    if (first.ok) {
        edges[n++] = first.left;
        edges[n++] = first.right;
    }
    if (last.ok) {
        edges[n++] = last.left;
        edges[n++] = last.right;
    }
    if (!n) {
        edges[n++] = line_left;
        edges[n++] = line_right;
    }
    double low = edges[0], high = edges[0];
    for (int i = 1; i < n; i++) {
        if (edges[i] < low)
            low = edges[i];
        if (edges[i] > high)
            high = edges[i];
    }
    PyObject *part = PyUnicode_Substring(text, begin, end);
    if (!part)
        return NULL;
    return Py_BuildValue("(Ndd)", part, low, high);
}

static int append_piece(PyObject *list, PyObject *item) {
    if (!item)
        return -1;
    int failed = PyList_Append(list, item);
    Py_DECREF(item);
    return failed;
}

/* The gaps of ``text`` (starting at character ``start``): each run of spaces with the boxes of
 * the characters around it and the empty width between them in either direction. */
static Py_ssize_t line_gaps(PyObject *text, Py_ssize_t start, box_fn get_box, void *page,
                            const PageTurn *turn, Gap **out) {
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Gap *gaps = PyMem_Malloc((length / 2 + 1) * sizeof(Gap));
    if (!gaps)
        return -1;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (PyUnicode_READ(kind, data, i) != ' ')
            continue;
        Py_ssize_t resume = i;
        while (resume < length && PyUnicode_READ(kind, data, resume) == ' ')
            resume++;
        Span before = char_span(get_box, page, start + i - 1, turn);
        Span after = char_span(get_box, page, start + resume, turn);
        if (before.ok && after.ok) {
            Gap *gap = &gaps[count++];
            gap->at = i;
            gap->resume = resume;
            gap->before = before;
            gap->after = after;
            gap->width = py_max(after.left - before.right, before.left - after.right);
        }
        i = resume;
    }
    *out = gaps;
    return count;
}

/* text._Locator.pieces on a page whose characters are in step with its text: the line cut at
 * its wide gaps, as (text, left, right); empty when it is not cut. The optional rotation,
 * width and height are the page's geometry.Turn (none: not turned). */
static PyObject *pieces(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long page_addr, box_addr;
    PyObject *text;
    Py_ssize_t start;
    double size, line_left, line_right, wide_ems, narrow_ems, stands_out;
    PageTurn turn = {0, 0, 0};
    if (!PyArg_ParseTuple(args, "KKUnddd(ddd)|idd", &page_addr, &box_addr, &text, &start, &size,
                          &line_left, &line_right, &wide_ems, &narrow_ems, &stands_out,
                          &turn.rotation, &turn.width, &turn.height))
        return NULL;
    if (!page_addr || !box_addr) {
        PyErr_SetString(PyExc_ValueError, "pieces needs a text page and FPDFText_GetCharBox");
        return NULL;
    }
    void *page = (void *)(uintptr_t)page_addr;
    box_fn get_box = (box_fn)(uintptr_t)box_addr;
    Gap *gaps = NULL;
    Py_ssize_t count = line_gaps(text, start, get_box, page, &turn, &gaps);
    if (count < 0)
        return PyErr_NoMemory();
    PyObject *result = PyList_New(0);
    if (!result || !count)
        goto done;
    double widest = gaps[0].width, narrowest = gaps[0].width;
    for (Py_ssize_t i = 1; i < count; i++) {
        widest = py_max(widest, gaps[i].width);
        narrowest = py_min(narrowest, gaps[i].width);
    }
    double wide = wide_ems * size, narrow = narrow_ems * size;
    double limit = widest >= wide ? narrow : py_max(narrow, stands_out * narrowest);
    Py_ssize_t begin = 0;
    Span opening = char_span(get_box, page, start, &turn);
    for (Py_ssize_t i = 0; i < count; i++) {
        if (gaps[i].width < limit)
            continue;
        if (append_piece(result, piece(text, begin, gaps[i].at, opening, gaps[i].before,
                                        line_left, line_right)) < 0)
            goto fail;
        begin = gaps[i].resume;
        opening = gaps[i].after;
    }
    if (PyList_GET_SIZE(result)) {
        Span closing =
            char_span(get_box, page, start + PyUnicode_GET_LENGTH(text) - 1, &turn);
        if (append_piece(result, piece(text, begin, PyUnicode_GET_LENGTH(text), opening, closing,
                                        line_left, line_right)) < 0)
            goto fail;
    }
done:
    PyMem_Free(gaps);
    return result;
fail:
    PyMem_Free(gaps);
    Py_DECREF(result);
    return NULL;
}

/* ------------------------------------------------------------------ sweep over box edges */

typedef struct {
    double x;
    long long step, before, after;
    Py_ssize_t index; /* in the input: ties keep it, as numpy's stable lexsort does */
} Edge;

/* numpy's order for lexsort((steps, xs)): by x, NaN last, then by step, then as given. */
static int edge_order(const void *pa, const void *pb) {
    const Edge *a = pa, *b = pb;
    int a_nan = isnan(a->x), b_nan = isnan(b->x);
    if (a_nan != b_nan)
        return a_nan - b_nan;
    if (!a_nan && a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->step != b->step)
        return a->step < b->step ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int read_floats(PyObject *list, Edge *edges, Py_ssize_t n, long long step,
                       Py_ssize_t first) {
    for (Py_ssize_t i = 0; i < n; i++) {
        edges[i].index = first + i;
        double x = PyFloat_AsDouble(PyList_GET_ITEM(list, i));
        if (x == -1.0 && PyErr_Occurred())
            return -1;
        edges[i].x = x;
        edges[i].step = step;
    }
    return 0;
}

/* order._Sweep.__init__: the box edges by x, with how many boxes cover x before and after. */
static PyObject *sweep(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *lefts, *rights;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &lefts, &PyList_Type, &rights))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lefts);
    if (PyList_GET_SIZE(rights) != n) {
        PyErr_SetString(PyExc_ValueError, "sweep needs as many right edges as left ones");
        return NULL;
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, 2 * n * (Py_ssize_t)sizeof(Edge));
    if (!result)
        return NULL;
    Edge *edges = (Edge *)PyBytes_AS_STRING(result);
    if (read_floats(lefts, edges, n, 1, 0) < 0 || read_floats(rights, edges + n, n, -1, n) < 0) {
        Py_DECREF(result);
        return NULL;
    }
    qsort(edges, 2 * n, sizeof(Edge), edge_order);
    long long covered = 0;
    for (Py_ssize_t i = 0; i < 2 * n; i++) {
        edges[i].before = covered;
        covered += edges[i].step;
        edges[i].after = covered;
    }
    return result;
}

/* An edge's place in edge_order as two integers: x as an unsigned key that orders as the
 * doubles do (-0.0 as 0.0, NaN after every number), then the step (closing edges first) and
 * the index. */
typedef struct {
    uint64_t x;
    uint64_t rest;
    Py_ssize_t at; /* the edge's slot in the output */
} EdgeKey;

static uint64_t x_key(double x) {
    if (isnan(x))
        return UINT64_MAX;
    if (x == 0.0)
        x = 0.0; /* -0.0 ties with 0.0, as the doubles compare */
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits >> 63 ? ~bits : bits | ((uint64_t)1 << 63);
}

static inline int key_before(const EdgeKey *a, const EdgeKey *b) {
    return a->x < b->x || (a->x == b->x && a->rest < b->rest);
}

/* A stable merge sort of n keys (using scratch of n), with the comparison inlined. */
static void sort_keys(EdgeKey *keys, EdgeKey *scratch, Py_ssize_t n) {
    for (Py_ssize_t i = 1; i < n; i++) { /* runs of 8 by insertion */
        if (i % 8 == 0)
            continue;
        EdgeKey k = keys[i];
        Py_ssize_t j = i;
        while (j % 8 && key_before(&k, &keys[j - 1])) {
            keys[j] = keys[j - 1];
            j--;
        }
        keys[j] = k;
    }
    for (Py_ssize_t width = 8; width < n; width *= 2) {
        for (Py_ssize_t lo = 0; lo < n; lo += 2 * width) {
            Py_ssize_t mid = lo + width < n ? lo + width : n;
            Py_ssize_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            Py_ssize_t a = lo, b = mid, out = lo;
            while (a < mid && b < hi)
                scratch[out++] = key_before(&keys[b], &keys[a]) ? keys[b++] : keys[a++];
            while (a < mid)
                scratch[out++] = keys[a++];
            while (b < hi)
                scratch[out++] = keys[b++];
        }
        memcpy(keys, scratch, n * sizeof(EdgeKey));
    }
}

/* order._Sweep.__init__ of boxes given as objects with ``left`` and ``right``: what sweep
 * gives for their lists of edges, without making the lists, and sorted by integer keys. */
static PyObject *sweep_boxes(PyObject *Py_UNUSED(self), PyObject *args) {
    static PyObject *left_name, *right_name;
    PyObject *boxes;
    if (!PyArg_ParseTuple(args, "O!", &PyList_Type, &boxes))
        return NULL;
    if (!left_name && !(left_name = PyUnicode_InternFromString("left")))
        return NULL;
    if (!right_name && !(right_name = PyUnicode_InternFromString("right")))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(boxes);
    PyObject *result = PyBytes_FromStringAndSize(NULL, 2 * n * (Py_ssize_t)sizeof(Edge));
    EdgeKey *keys = PyMem_Malloc((4 * n + 1) * sizeof(EdgeKey));
    if (!result || !keys) {
        Py_XDECREF(result);
        PyMem_Free(keys);
        return PyErr_NoMemory();
    }
    Edge *edges = (Edge *)PyBytes_AS_STRING(result);
    Edge *unsorted = PyMem_Malloc((2 * n + 1) * sizeof(Edge));
    if (!unsorted) {
        Py_DECREF(result);
        PyMem_Free(keys);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < 2 * n; i++) {
        PyObject *box = PyList_GET_ITEM(boxes, i % n);
        PyObject *value = PyObject_GetAttr(box, i < n ? left_name : right_name);
        double x = value ? PyFloat_AsDouble(value) : -1.0;
        Py_XDECREF(value);
        if (!value || (x == -1.0 && PyErr_Occurred())) {
            Py_DECREF(result);
            PyMem_Free(keys);
            PyMem_Free(unsorted);
            return NULL;
        }
        unsorted[i].x = x;
        unsorted[i].step = i < n ? 1 : -1;
        unsorted[i].index = i;
        keys[i].x = x_key(x);
        /* closing edges (step -1) first, then by index */
        keys[i].rest = (uint64_t)(i < n ? 2 * n + i : i);
        keys[i].at = i;
    }
    sort_keys(keys, keys + 2 * n, 2 * n);
    long long covered = 0;
    for (Py_ssize_t i = 0; i < 2 * n; i++) {
        edges[i] = unsorted[keys[i].at];
        edges[i].before = covered;
        covered += edges[i].step;
        edges[i].after = covered;
    }
    PyMem_Free(keys);
    PyMem_Free(unsorted);
    return result;
}

/* order._Sweep.strips: maximal x ranges at least ``wide`` covered by at most ``allowed``. */
static PyObject *strips(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer buffer;
    long long allowed;
    double origin, end, wide;
    if (!PyArg_ParseTuple(args, "y*Lddd", &buffer, &allowed, &origin, &end, &wide))
        return NULL;
    const Edge *edges = buffer.buf;
    Py_ssize_t count = buffer.len / (Py_ssize_t)sizeof(Edge), rises = 0, falls = 0;
    PyObject *result = NULL;
    /* starts: origin, then the falls; ends: the rises, then end; paired by rank. */
    double *starts = PyMem_Malloc((count + 1) * sizeof(double));
    double *ends = PyMem_Malloc((count + 1) * sizeof(double));
    if (!starts || !ends) {
        PyErr_NoMemory();
        goto done;
    }
    starts[falls++] = origin;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (edges[i].before <= allowed && edges[i].after > allowed)
            ends[rises++] = edges[i].x;
        if (edges[i].after <= allowed && edges[i].before > allowed)
            starts[falls++] = edges[i].x;
    }
    ends[rises++] = end;
    if (rises != falls) {
        PyErr_SetString(PyExc_ValueError, "the box coverage does not return to zero");
        goto done;
    }
    if (!(result = PyList_New(0)))
        goto done;
    for (Py_ssize_t j = 0; j < rises; j++) {
        if (!(ends[j] - starts[j] >= wide && ends[j] > starts[j]))
            continue;
        PyObject *strip = Py_BuildValue("(dd)", starts[j], ends[j]);
        if (!strip || PyList_Append(result, strip) < 0) {
            Py_XDECREF(strip);
            Py_CLEAR(result);
            goto done;
        }
        Py_DECREF(strip);
    }
done:
    PyMem_Free(starts);
    PyMem_Free(ends);
    PyBuffer_Release(&buffer);
    return result;
}

/* ------------------------------------------------------------------ gutters of table rows */

typedef struct {
    double left, right;
} Extent;

/* Python's order of (left, right) tuples of floats that are not NaN. */
static int extent_order(const void *pa, const void *pb) {
    const Extent *a = pa, *b = pb;
    if (a->left != b->left)
        return a->left < b->left ? -1 : 1;
    if (a->right != b->right)
        return a->right < b->right ? -1 : 1;
    return 0;
}

/* A float attribute of a piece; 1 when it is an exact float that is not NaN, 0 when it is
 * anything else (the caller then gives the question back to Python), -1 on an error. */
static int float_attribute(PyObject *piece, PyObject *name, double *out) {
    PyObject *value = PyObject_GetAttr(piece, name);
    if (!value)
        return -1;
    int plain = PyFloat_CheckExact(value);
    if (plain)
        *out = PyFloat_AS_DOUBLE(value);
    Py_DECREF(value);
    return plain && !isnan(*out);
}

/* A float attribute of a piece, NaN allowed: 1 when it is an exact float, 0 when not, -1 on
 * an error. */
static int float_attribute_any(PyObject *piece, PyObject *name, double *out) {
    PyObject *value = PyObject_GetAttr(piece, name);
    if (!value)
        return -1;
    int plain = PyFloat_CheckExact(value);
    if (plain)
        *out = PyFloat_AS_DOUBLE(value);
    Py_DECREF(value);
    return plain;
}

/* The pieces of the rows with more than one, as (left, right); 0 when one of them is no plain
 * float, -1 on an error. */
static int row_extents(PyObject *rows, Extent **out, Py_ssize_t *count) {
    static PyObject *pieces_name, *left_name, *right_name;
    if (!pieces_name && !(pieces_name = PyUnicode_InternFromString("pieces")))
        return -1;
    if (!left_name && !(left_name = PyUnicode_InternFromString("left")))
        return -1;
    if (!right_name && !(right_name = PyUnicode_InternFromString("right")))
        return -1;
    Py_ssize_t used = 0, size = 64;
    Extent *extents = PyMem_Malloc(size * sizeof(Extent));
    if (!extents) {
        PyErr_NoMemory();
        return -1;
    }
    int status = 1;
    Py_ssize_t n = PyList_GET_SIZE(rows);
    for (Py_ssize_t i = 0; i < n && status == 1; i++) {
        PyObject *pieces = PyObject_GetAttr(PyList_GET_ITEM(rows, i), pieces_name);
        if (!pieces) {
            status = -1;
            break;
        }
        PyObject *fast = PySequence_Fast(pieces, "a row's pieces are a sequence");
        Py_DECREF(pieces);
        if (!fast) {
            status = -1;
            break;
        }
        Py_ssize_t m = PySequence_Fast_GET_SIZE(fast);
        for (Py_ssize_t j = 0; m > 1 && j < m && status == 1; j++) {
            PyObject *piece = PySequence_Fast_GET_ITEM(fast, j);
            if (used == size) {
                Extent *grown = PyMem_Realloc(extents, 2 * size * sizeof(Extent));
                if (!grown) {
                    PyErr_NoMemory();
                    status = -1;
                    break;
                }
                extents = grown;
                size *= 2;
            }
            int left = float_attribute(piece, left_name, &extents[used].left);
            int right = left == 1 ? float_attribute(piece, right_name, &extents[used].right) : left;
            status = left < 0 || right < 0 ? -1 : right;
            used++;
        }
        Py_DECREF(fast);
    }
    if (status != 1) {
        PyMem_Free(extents);
        return status;
    }
    *out = extents;
    *count = used;
    return 1;
}

/* tables._gutters: the empty vertical strips at least ``min_gutter`` wide between the pieces
 * of the rows with more than one piece, left to right; None when a piece's edge is not a plain
 * float (an int, NaN), which the Python loop then answers. */
static PyObject *gutters(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *rows;
    double min_gutter;
    if (!PyArg_ParseTuple(args, "O!d", &PyList_Type, &rows, &min_gutter))
        return NULL;
    Extent *extents;
    Py_ssize_t count;
    int status = row_extents(rows, &extents, &count);
    if (status < 0)
        return NULL;
    if (status == 0)
        Py_RETURN_NONE;
    PyObject *result = PyList_New(0);
    if (!result || count == 0) {
        PyMem_Free(extents);
        return result;
    }
    qsort(extents, count, sizeof(Extent), extent_order);
    double reach = extents[0].right;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (extents[i].left - reach >= min_gutter) {
            PyObject *gutter = Py_BuildValue("(dd)", reach, extents[i].left);
            if (!gutter || PyList_Append(result, gutter) < 0) {
                Py_XDECREF(gutter);
                Py_CLEAR(result);
                break;
            }
            Py_DECREF(gutter);
        }
        if (extents[i].right > reach)
            reach = extents[i].right;
    }
    PyMem_Free(extents);
    return result;
}

/* tables._cells: the texts of a row's pieces by column (a piece goes to the first column whose
 * right edge lies right of its left edge, or of its middle with by_middle; the last column
 * takes the rest), the pieces of one column joined by spaces; None when an edge is not a plain
 * float or a text not a plain str, or there are no columns (Python then answers). */
static PyObject *row_cells(PyObject *Py_UNUSED(self), PyObject *args) {
    static PyObject *left_name, *right_name, *text_name;
    PyObject *pieces, *columns;
    int by_middle;
    if (!PyArg_ParseTuple(args, "OO!p", &pieces, &PyList_Type, &columns, &by_middle))
        return NULL;
    if (!left_name && !(left_name = PyUnicode_InternFromString("left")))
        return NULL;
    if (!right_name && !(right_name = PyUnicode_InternFromString("right")))
        return NULL;
    if (!text_name && !(text_name = PyUnicode_InternFromString("text")))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(columns);
    if (n == 0)
        Py_RETURN_NONE;
    double *rights = PyMem_Malloc(n * sizeof(double));
    if (!rights)
        return PyErr_NoMemory();
    PyObject *fast = NULL, *result = NULL, *empty = NULL;
    int plain = 1;
    for (Py_ssize_t c = 0; c < n && plain; c++) {
        PyObject *column = PyList_GET_ITEM(columns, c);
        PyObject *right;
        plain = PyTuple_CheckExact(column) && PyTuple_GET_SIZE(column) == 2 &&
                PyFloat_CheckExact(right = PyTuple_GET_ITEM(column, 1));
        if (plain)
            rights[c] = PyFloat_AS_DOUBLE(right);
    }
    if (!plain)
        goto fallback;
    if (!(fast = PySequence_Fast(pieces, "a row's pieces are a sequence")))
        goto done;
    if (!(empty = PyUnicode_FromStringAndSize(NULL, 0)) || !(result = PyList_New(n)))
        goto done;
    for (Py_ssize_t c = 0; c < n; c++)
        PyList_SET_ITEM(result, c, Py_NewRef(empty));
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(fast); i++) {
        PyObject *piece = PySequence_Fast_GET_ITEM(fast, i);
        double left, right = 0.0;
        int got = float_attribute_any(piece, left_name, &left);
        if (got == 1 && by_middle)
            got = float_attribute_any(piece, right_name, &right);
        if (got < 0)
            goto failed;
        if (got == 0)
            goto fallback;
        PyObject *text = PyObject_GetAttr(piece, text_name);
        if (!text)
            goto failed;
        if (!PyUnicode_CheckExact(text)) {
            Py_DECREF(text);
            goto fallback;
        }
        double at = by_middle ? (left + right) / 2 : left;
        Py_ssize_t lo = 0, hi = n; /* bisect.bisect_right(rights, at) */
        while (lo < hi) {
            Py_ssize_t mid = (lo + hi) / 2;
            if (at < rights[mid])
                hi = mid;
            else
                lo = mid + 1;
        }
        Py_ssize_t column = lo < n - 1 ? lo : n - 1;
        PyObject *held = PyList_GET_ITEM(result, column);
        PyObject *joined = PyUnicode_GET_LENGTH(held) ? PyUnicode_FromFormat("%U %U", held, text)
                                                      : Py_NewRef(text);
        Py_DECREF(text);
        if (!joined)
            goto failed;
        PyList_SET_ITEM(result, column, joined);
        Py_DECREF(held);
    }
    goto done;
failed:
    Py_CLEAR(result);
    goto done;
fallback:
    Py_CLEAR(result);
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(fast);
    Py_XDECREF(empty);
    PyMem_Free(rights);
    return result;
}

/* ------------------------------------------------------------------ a column of running text */

static int by_double(const void *pa, const void *pb) {
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* order._is_text: whether boxes (with left, right and chars) are one column of running text:
 * enough lines, of some length, most of them filling the column's width. None when a count is
 * not a plain int or an edge not a plain float that is a number (Python then answers). */
static PyObject *text_column(PyObject *Py_UNUSED(self), PyObject *args) {
    static PyObject *left_name, *right_name, *chars_name;
    PyObject *side;
    long long min_lines, min_chars, min_mean;
    double full_line, full_share;
    if (!PyArg_ParseTuple(args, "O!LLLdd", &PyList_Type, &side, &min_lines, &min_chars,
                          &min_mean, &full_line, &full_share))
        return NULL;
    if (!left_name && !(left_name = PyUnicode_InternFromString("left")))
        return NULL;
    if (!right_name && !(right_name = PyUnicode_InternFromString("right")))
        return NULL;
    if (!chars_name && !(chars_name = PyUnicode_InternFromString("chars")))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(side);
    long long chars = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *value = PyObject_GetAttr(PyList_GET_ITEM(side, i), chars_name);
        if (!value)
            return NULL;
        int overflow = 0;
        long long count = PyLong_CheckExact(value) ? PyLong_AsLongLongAndOverflow(value, &overflow)
                                                   : 0;
        int plain = PyLong_CheckExact(value) && !overflow && count < ((long long)1 << 40) &&
                    count > -((long long)1 << 40);
        Py_DECREF(value);
        if (!plain)
            Py_RETURN_NONE;
        chars += count;
    }
    if (n < min_lines || chars < min_chars)
        Py_RETURN_FALSE;
    if ((double)chars / (double)n < (double)min_mean)
        Py_RETURN_FALSE;
    double *lefts = PyMem_Malloc(3 * n * sizeof(double));
    if (!lefts)
        return PyErr_NoMemory();
    double *rights = lefts + n, *widths = lefts + 2 * n;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *box = PyList_GET_ITEM(side, i);
        int left = float_attribute_any(box, left_name, &lefts[i]);
        int right = left == 1 ? float_attribute_any(box, right_name, &rights[i]) : left;
        if (right < 0) {
            PyMem_Free(lefts);
            return NULL;
        }
        if (right == 0 || isnan(lefts[i]) || isnan(rights[i])) {
            PyMem_Free(lefts);
            Py_RETURN_NONE;
        }
        widths[i] = rights[i] - lefts[i];
    }
    qsort(lefts, n, sizeof(double), by_double);
    qsort(rights, n, sizeof(double), by_double);
    double extent = rights[n * 9 / 10] - lefts[n / 10];
    double least = full_line * extent;
    Py_ssize_t full = 0;
    for (Py_ssize_t i = 0; i < n; i++)
        full += widths[i] >= least;
    PyMem_Free(lefts);
    return PyBool_FromLong((double)full >= full_share * (double)n);
}

/* ------------------------------------------------------------------ crossing rules */

/* The position, start and end of a rule; 0 when one is not a plain float, -1 on an error. */
static int rule_floats(PyObject *rule, PyObject *const names[3], double out[3]) {
    for (int k = 0; k < 3; k++) {
        int got = float_attribute_any(rule, names[k], &out[k]);
        if (got != 1)
            return got;
    }
    return 1;
}

static Py_ssize_t find_root(Py_ssize_t *parent, Py_ssize_t i) {
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

/* grids.lattices' search for horizontal and vertical rules that meet (each reaching the other,
 * within touch): the groups of rules joined by meeting, as lists of indices (horizontal rules
 * 0..h-1, vertical ones h..h+v-1), each ascending, in the order of their first members: the
 * groups grids._Sets gives. None when an edge is not a plain float (Python then answers). */
static PyObject *meeting_groups(PyObject *Py_UNUSED(self), PyObject *args) {
    static PyObject *names[3];
    PyObject *horizontal, *vertical;
    double touch;
    if (!PyArg_ParseTuple(args, "O!O!d", &PyList_Type, &horizontal, &PyList_Type, &vertical,
                          &touch))
        return NULL;
    const char *spelled[3] = {"position", "start", "end"};
    for (int k = 0; k < 3; k++)
        if (!names[k] && !(names[k] = PyUnicode_InternFromString(spelled[k])))
            return NULL;
    Py_ssize_t h = PyList_GET_SIZE(horizontal), v = PyList_GET_SIZE(vertical), n = h + v;
    double *values = PyMem_Malloc((3 * n + 1) * sizeof(double));
    Py_ssize_t *parent = PyMem_Malloc((n + 1) * sizeof(Py_ssize_t));
    Py_ssize_t *group_of = PyMem_Malloc((n + 1) * sizeof(Py_ssize_t)); /* by root */
    PyObject *result = NULL;
    if (!values || !parent || !group_of) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *rule = i < h ? PyList_GET_ITEM(horizontal, i) : PyList_GET_ITEM(vertical, i - h);
        int got = rule_floats(rule, names, values + 3 * i);
        if (got < 0)
            goto done;
        if (got == 0 || isnan(values[3 * i]) || isnan(values[3 * i + 1]) ||
            isnan(values[3 * i + 2])) {
            result = Py_NewRef(Py_None);
            goto done;
        }
        parent[i] = i;
    }
    for (Py_ssize_t i = 0; i < h; i++) {
        double at = values[3 * i], low = values[3 * i + 1] - touch, high = values[3 * i + 2] + touch;
        for (Py_ssize_t j = 0; j < v; j++) {
            const double *r = values + 3 * (h + j);
            if (r[1] - touch <= at && at <= r[2] + touch && low <= r[0] && r[0] <= high) {
                Py_ssize_t a = find_root(parent, i), b = find_root(parent, h + j);
                if (a < b)
                    parent[b] = a;
                else
                    parent[a] = b;
            }
        }
    }
    if (!(result = PyList_New(0)))
        goto done;
    /* Each root is the smallest member of its set (a join hangs the larger root under the
     * smaller): a group starts at its root, and its other members follow in order. */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t root = find_root(parent, i);
        PyObject *index = PyLong_FromSsize_t(i);
        if (!index)
            goto failed;
        if (root == i) {
            PyObject *group = PyList_New(1);
            if (!group || PyList_Append(result, group) < 0) {
                Py_XDECREF(group);
                Py_DECREF(index);
                goto failed;
            }
            PyList_SET_ITEM(group, 0, index);
            Py_DECREF(group);
            group_of[i] = PyList_GET_SIZE(result) - 1;
        } else {
            int failed = PyList_Append(PyList_GET_ITEM(result, group_of[root]), index);
            Py_DECREF(index);
            if (failed < 0)
                goto failed;
        }
    }
    goto done;
failed:
    Py_CLEAR(result);
done:
    PyMem_Free(values);
    PyMem_Free(parent);
    PyMem_Free(group_of);
    return result;
}

/* ------------------------------------------------------------------ text direction */

typedef int (*char_matrix_fn)(void *, int, FSMatrix *);

/* Python's float % 360 and round() (half to even), as text_direction computes them. */
static double py_mod(double x, double m) {
    double mod = fmod(x, m);
    if (mod) {
        if ((m < 0) != (mod < 0))
            mod += m;
    } else
        mod = copysign(0.0, m);
    return mod;
}

static double py_round(double x) {
    double rounded = round(x);
    if (fabs(x - rounded) == 0.5)
        rounded = 2.0 * round(x / 2.0);
    return rounded;
}

/* text.text_direction's votes: how many sampled characters run at 0, 90, 180 and 270 degrees
 * (None for a page without characters). */
static PyObject *direction_votes(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long page_addr, count_addr, unicode_addr, matrix_addr;
    int sample;
    if (!PyArg_ParseTuple(args, "KKKKi", &page_addr, &count_addr, &unicode_addr, &matrix_addr,
                          &sample))
        return NULL;
    if (!page_addr || !count_addr || !unicode_addr || !matrix_addr || sample <= 0) {
        PyErr_SetString(PyExc_ValueError, "direction_votes needs a text page and functions");
        return NULL;
    }
    void *page = (void *)(uintptr_t)page_addr;
    int count = ((count_fn)(uintptr_t)count_addr)(page);
    if (count <= 0)
        Py_RETURN_NONE;
    unicode_fn get_unicode = (unicode_fn)(uintptr_t)unicode_addr;
    char_matrix_fn get_matrix = (char_matrix_fn)(uintptr_t)matrix_addr;
    int step = count / sample > 1 ? count / sample : 1;
    long long votes[4] = {0, 0, 0, 0};
    const double to_degrees = 180.0 / Py_MATH_PI;
    for (int index = 0; index < count; index += step) {
        FSMatrix m;
        if (get_unicode(page, index) <= 32 || !get_matrix(page, index, &m))
            continue;
        double angle = py_mod(atan2((double)m.b, (double)m.a) * to_degrees, 360.0);
        double quarter = py_round(angle / 90.0);
        if (!isfinite(quarter)) {
            PyErr_SetString(PyExc_ValueError, "cannot convert float NaN to integer");
            return NULL;
        }
        long long q = (long long)quarter % 4;
        votes[q < 0 ? q + 4 : q]++;
    }
    return Py_BuildValue("(LLLL)", votes[0], votes[1], votes[2], votes[3]);
}

/* ------------------------------------------------------------------ a line's facts */

typedef double (*font_size_fn)(void *, int);
typedef unsigned long (*font_info_fn)(void *, int, char *, unsigned long, int *);

/* text._Locator.line's PDFium calls in one: the origin of the first character, the box of the
 * last, and the size, matrix and font of the middle one:
 * (x, y, (left, right, bottom, top) | None, size, (a, b, c, d) | None, (flags, name) | None). */
static PyObject *line_facts(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long page_addr, fns[5];
    int first, last, middle;
    if (!PyArg_ParseTuple(args, "Kiii(KKKKK)", &page_addr, &first, &last, &middle, &fns[0],
                          &fns[1], &fns[2], &fns[3], &fns[4]))
        return NULL;
    for (int i = 0; i < 5; i++)
        if (!fns[i] || !page_addr) {
            PyErr_SetString(PyExc_ValueError, "line_facts needs a text page and five functions");
            return NULL;
        }
    void *page = (void *)(uintptr_t)page_addr;
    double x = 0, y = 0, left = 0, right = 0, bottom = 0, top = 0;
    ((origin_fn)(uintptr_t)fns[0])(page, first, &x, &y);
    int boxed = ((box_fn)(uintptr_t)fns[1])(page, last, &left, &right, &bottom, &top);
    double size = ((font_size_fn)(uintptr_t)fns[2])(page, middle);
    FSMatrix m;
    int matrix = ((char_matrix_fn)(uintptr_t)fns[3])(page, middle, &m);
    char name[256] = {0};
    int flags = 0;
    unsigned long named = ((font_info_fn)(uintptr_t)fns[4])(page, middle, name, sizeof name,
                                                             &flags);
    PyObject *box = boxed ? Py_BuildValue("(dddd)", left, right, bottom, top) : Py_NewRef(Py_None);
    PyObject *turn = matrix ? Py_BuildValue("(dddd)", (double)m.a, (double)m.b, (double)m.c,
                                            (double)m.d)
                            : Py_NewRef(Py_None);
    /* A name longer than the buffer is not copied: (flags, None), for the caller's own call. */
    PyObject *font = !named ? Py_NewRef(Py_None)
                     : named > sizeof name
                         ? Py_BuildValue("(iO)", flags, Py_None)
                         : Py_BuildValue("(iy#)", flags, name,
                                         (Py_ssize_t)strnlen(name, sizeof name));
    if (!box || !turn || !font) {
        Py_XDECREF(box);
        Py_XDECREF(turn);
        Py_XDECREF(font);
        return NULL;
    }
    return Py_BuildValue("(ddNdNN)", x, y, box, size, turn, font);
}

/* ------------------------------------------------------------------ a line's text runs */

typedef int (*count_rects_fn)(void *, int, int);
typedef int (*get_rect_fn)(void *, int, double *, double *, double *, double *);

/* text._Locator.rects on a page not turned: the left and right of each of PDFium's rectangles
 * for ``count`` characters from ``start``; empty when there is only one. */
static PyObject *rects(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long page_addr, count_addr, rect_addr;
    int start, count;
    if (!PyArg_ParseTuple(args, "KiiKK", &page_addr, &start, &count, &count_addr, &rect_addr))
        return NULL;
    if (!page_addr || !count_addr || !rect_addr) {
        PyErr_SetString(PyExc_ValueError, "rects needs a text page and two functions");
        return NULL;
    }
    void *page = (void *)(uintptr_t)page_addr;
    int found = ((count_rects_fn)(uintptr_t)count_addr)(page, start, count);
    PyObject *result = PyList_New(0);
    if (!result || found <= 1)
        return result;
    get_rect_fn get_rect = (get_rect_fn)(uintptr_t)rect_addr;
    for (int index = 0; index < found; index++) {
        double left = 0, top = 0, right = 0, bottom = 0;
        get_rect(page, index, &left, &top, &right, &bottom);
        PyObject *span = Py_BuildValue("(dd)", left, right);
        if (!span || PyList_Append(result, span) < 0) {
            Py_XDECREF(span);
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(span);
    }
    return result;
}

/* ------------------------------------------------------------------ rules of strokes */

/* One stroke kept as a rule piece: its position across, its extent along, its place given. */
typedef struct {
    double rounded; /* round(position), half to even, as Python's round */
    double position, start, end;
    Py_ssize_t index;
} Piece;

static int piece_order(const void *a, const void *b) {
    const Piece *p = a, *q = b;
    if (p->rounded != q->rounded)
        return p->rounded < q->rounded ? -1 : 1;
    if (p->start != q->start)
        return p->start < q->start ? -1 : 1;
    return p->index < q->index ? -1 : (p->index > q->index);
}

/* A Rule (a frozen dataclass with slots and no __post_init__, checked by the caller) made as
 * its generated __init__ makes it: object.__setattr__ of each field. */
static PyObject *new_rule(PyTypeObject *type, PyObject *const names[3], const double v[3]) {
    PyObject *rule = type->tp_alloc(type, 0);
    if (!rule)
        return NULL;
    for (int i = 0; i < 3; i++) {
        PyObject *value = PyFloat_FromDouble(v[i]);
        int failed = !value || PyObject_GenericSetAttr(rule, names[i], value) < 0;
        Py_XDECREF(value);
        if (failed) {
            Py_DECREF(rule);
            return NULL;
        }
    }
    return rule;
}

/* rules._joined of the pieces (sorted here), as a tuple of rules. */
static PyObject *joined_rules(Piece *pieces, Py_ssize_t n, double thin, double join,
                              PyTypeObject *type, PyObject *const names[3]) {
    qsort(pieces, (size_t)n, sizeof(Piece), piece_order);
    Py_ssize_t kept = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Piece *piece = &pieces[i];
        if (kept) {
            Piece *last = &pieces[kept - 1];
            if (fabs(last->position - piece->position) <= thin &&
                piece->start <= last->end + join) {
                if (piece->end > last->end)
                    last->end = piece->end;
                continue;
            }
        }
        pieces[kept++] = *piece;
    }
    PyObject *rules = PyTuple_New(kept);
    if (!rules)
        return NULL;
    for (Py_ssize_t i = 0; i < kept; i++) {
        const double v[3] = {pieces[i].position, pieces[i].start, pieces[i].end};
        PyObject *rule = new_rule(type, names, v);
        if (!rule) {
            Py_DECREF(rules);
            return NULL;
        }
        PyTuple_SET_ITEM(rules, i, rule);
    }
    return rules;
}

/* rules.read_rules' strokes to rules: each stroke (x0, y0, x1, y1) thin across and long
 * enough along is a horizontal or a vertical piece, and collinear pieces that touch are joined
 * (rules._joined). None when a stroke is no tuple of four plain floats, or a position cannot
 * be rounded (Python then answers, or raises as it would). */
static PyObject *stroke_rules(PyObject *Py_UNUSED(self), PyObject *args) {
    static PyObject *names[3];
    static const char *spelled[3] = {"position", "start", "end"};
    PyObject *strokes;
    PyTypeObject *type;
    double thin, length, join;
    if (!PyArg_ParseTuple(args, "O!O!ddd", &PyList_Type, &strokes, &PyType_Type, &type, &thin,
                          &length, &join))
        return NULL;
    for (int i = 0; i < 3; i++)
        if (!names[i] && !(names[i] = PyUnicode_InternFromString(spelled[i])))
            return NULL;
    Py_ssize_t n = PyList_GET_SIZE(strokes);
    Piece *across = PyMem_Malloc((n + 1) * sizeof(Piece));
    Piece *up = PyMem_Malloc((n + 1) * sizeof(Piece));
    if (!across || !up) {
        PyMem_Free(across);
        PyMem_Free(up);
        return PyErr_NoMemory();
    }
    Py_ssize_t h = 0, v = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *stroke = PyList_GET_ITEM(strokes, i);
        if (!PyTuple_CheckExact(stroke) || PyTuple_GET_SIZE(stroke) != 4)
            goto plain;
        double e[4];
        for (int k = 0; k < 4; k++) {
            PyObject *value = PyTuple_GET_ITEM(stroke, k);
            if (!PyFloat_CheckExact(value))
                goto plain;
            e[k] = PyFloat_AS_DOUBLE(value);
        }
        double a = e[0], b = e[1], c = e[2], d = e[3];
        double dx = a - c, dy = b - d;
        Piece *piece;
        if (-thin <= dy && dy <= thin && (dx >= length || dx <= -length)) {
            piece = &across[h++];
            piece->position = (b + d) / 2;
            piece->start = dx > 0 ? c : a;
            piece->end = dx > 0 ? a : c;
        } else if (-thin <= dx && dx <= thin && (dy >= length || dy <= -length)) {
            piece = &up[v++];
            piece->position = (a + c) / 2;
            piece->start = dy > 0 ? d : b;
            piece->end = dy > 0 ? b : d;
        } else
            continue;
        if (!isfinite(piece->position))
            goto plain;
        piece->rounded = nearbyint(piece->position);
        piece->index = i;
    }
    PyObject *horizontal = joined_rules(across, h, thin, join, type, names);
    PyObject *vertical = horizontal ? joined_rules(up, v, thin, join, type, names) : NULL;
    PyMem_Free(across);
    PyMem_Free(up);
    if (!vertical) {
        Py_XDECREF(horizontal);
        return NULL;
    }
    PyObject *result = PyTuple_Pack(2, horizontal, vertical);
    Py_DECREF(horizontal);
    Py_DECREF(vertical);
    return result;
plain:
    PyMem_Free(across);
    PyMem_Free(up);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"page_chars", page_chars, METH_VARARGS,
     "page_chars(textpage, count, unicode, box, origin) -> bytes: the page's characters, "
     "read once through the PDFium functions at the given addresses."},
    {"char_index", char_index, METH_VARARGS,
     "char_index(chars[, across]) -> bytes: the characters by band of the page (by vertical "
     "band across), for bounded."},
    {"bounded_all", bounded_all, METH_VARARGS,
     "bounded_all(chars, index, rects, buflen, rotation, width, height) -> list: bounded of "
     "each display rectangle (left, right, top, bottom) of the page shown with the rotation."},
    {"bounded", bounded, METH_VARARGS,
     "bounded(chars, index, left, top, right, bottom, buflen) -> str: the text inside a "
     "rectangle, as FPDFText_GetBoundedText gives it into a buffer of buflen units (index: "
     "char_index(chars), or b'' for a walk of every character)."},
    {"strokes", strokes, METH_VARARGS,
     "strokes(path, segments, matrix, get_segment, get_point, segment_type, segment_close, "
     "line_to, move_to) -> list: the straight strokes of a path object, as rules._Reader."},
    {"walk", walk, METH_VARARGS,
     "walk(page, count, functions, kinds) -> (stopped, image boxes, [(path, matrix)]): "
     "images._Finder's walk of the page objects."},
    {"path_lines", path_lines, METH_VARARGS,
     "path_lines([(path, matrix)], functions, limits, thin) -> list: rules._Reader.path."},
    {"structure", structure, METH_VARARGS,
     "structure([element], functions, max_elements, max_depth) -> dict: MCID -> rank."},
    {"pieces", pieces, METH_VARARGS,
     "pieces(textpage, charbox, text, start, size, left, right, limits[, rotation, width, "
     "height]) -> list: text._Locator.pieces, as (text, left, right)."},
    {"sweep", sweep, METH_VARARGS,
     "sweep(lefts, rights) -> bytes: order._Sweep's edges, sorted, with their coverage."},
    {"sweep_boxes", sweep_boxes, METH_VARARGS,
     "sweep_boxes(boxes) -> bytes: sweep(lefts, rights) of the boxes' left and right edges."},
    {"strips", strips, METH_VARARGS,
     "strips(sweep, allowed, origin, end, wide) -> list: order._Sweep.strips."},
    {"gutters", gutters, METH_VARARGS,
     "gutters(rows, min_gutter) -> list | None: tables._gutters of rows whose pieces' edges "
     "are plain floats (None otherwise)."},
    {"row_cells", row_cells, METH_VARARGS,
     "row_cells(pieces, columns, by_middle) -> list | None: tables._cells of a row's pieces "
     "(None when an edge is not a plain float or a text not a plain str)."},
    {"meeting_groups", meeting_groups, METH_VARARGS,
     "meeting_groups(horizontal, vertical, touch) -> list | None: grids.lattices' groups of "
     "rules that meet (None when an edge is not a plain float)."},
    {"text_column", text_column, METH_VARARGS,
     "text_column(side, min_lines, min_chars, min_mean, full_line, full_share) -> bool | None: "
     "order._is_text (None when a count or an edge is not plain)."},
    {"direction_votes", direction_votes, METH_VARARGS,
     "direction_votes(textpage, count, unicode, matrix, sample) -> (4 counts) | None: "
     "text.text_direction's sample of the page's characters."},
    {"line_facts", line_facts, METH_VARARGS,
     "line_facts(textpage, first, last, middle, functions) -> tuple: text._Locator.line's "
     "PDFium calls in one."},
    {"stroke_rules", stroke_rules, METH_VARARGS,
     "stroke_rules(strokes, rule_type, thin, length, join) -> (horizontal, vertical) | None: "
     "rules.read_rules' rules of the page's strokes, joined (None when a stroke is not four "
     "plain floats)."},
    {"rects", rects, METH_VARARGS,
     "rects(textpage, start, count, count_rects, get_rect) -> list: text._Locator.rects on a "
     "page not turned."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_chars", "A page's characters read from PDFium once.", -1, methods,
};

PyMODINIT_FUNC PyInit__chars(void) { return PyModule_Create(&module); }
