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

static PyObject *bounded(PyObject *Py_UNUSED(self), PyObject *args) {
    Py_buffer buffer;
    double left, top, right, bottom;
    Py_ssize_t buflen;
    if (!PyArg_ParseTuple(args, "y*ddddn", &buffer, &left, &top, &right, &bottom, &buflen))
        return NULL;
    const Char *chars = (const Char *)buffer.buf;
    Py_ssize_t count = buffer.len / (Py_ssize_t)sizeof(Char);
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
    int failed = text_by_rect(chars, count, l, r, b, t, &out);
    PyBuffer_Release(&buffer);
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

static PyMethodDef methods[] = {
    {"page_chars", page_chars, METH_VARARGS,
     "page_chars(textpage, count, unicode, box, origin) -> bytes: the page's characters, "
     "read once through the PDFium functions at the given addresses."},
    {"bounded", bounded, METH_VARARGS,
     "bounded(chars, left, top, right, bottom, buflen) -> str: the text inside a rectangle, "
     "as FPDFText_GetBoundedText gives it into a buffer of buflen units."},
    {"strokes", strokes, METH_VARARGS,
     "strokes(path, segments, matrix, get_segment, get_point, segment_type, segment_close, "
     "line_to, move_to) -> list: the straight strokes of a path object, as rules._Reader."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_chars", "A page's characters read from PDFium once.", -1, methods,
};

PyMODINIT_FUNC PyInit__chars(void) { return PyModule_Create(&module); }
