package rbac

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/views"
)

// maxPolicy bounds the size of an imported policy document.
const maxPolicy = 10 << 20

// rbacExport downloads the whole policy as JSON.
func (h handlers) rbacExport(w http.ResponseWriter, r *http.Request) {
	p, err := h.e.Export(r.Context())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		h.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="entadmin-policy.json"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(buf.Bytes())
}

// rbacImportForm shows the import form, to superusers only.
func (h handlers) rbacImportForm(w http.ResponseWriter, r *http.Request) {
	if !h.importAllowed(w, r) {
		return
	}
	h.renderImport(w, r, http.StatusOK, "", "merge", nil)
}

// importAllowed answers 403 to users who are not superusers.
func (h handlers) importAllowed(w http.ResponseWriter, r *http.Request) bool {
	if superuser(r) {
		return true
	}
	h.site.Error(w, r, http.StatusForbidden, "Only superusers may import a policy, since it can grant anything.")
	return false
}

func (h handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, doc, mode string, errs []string) {
	p := views.RBACImportPage{Page: h.rbacPage(w, r, "Import the policy"), Links: rbacLinks(r), Document: doc, Mode: mode, Errors: errs}
	h.site.Render(w, r, status, views.RBACImportView(p))
}

// rbacImport validates a policy document completely and writes it in one
// transaction, merging it with the policy or replacing it; on any problem
// it writes nothing and lists them all.
func (h handlers) rbacImport(w http.ResponseWriter, r *http.Request) {
	if !h.importAllowed(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxPolicy+64<<10)
	if err := r.ParseMultipartForm(maxPolicy); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		h.renderImport(w, r, http.StatusBadRequest, "", "merge", []string{"The form could not be read (at most 10 MB)."})
		return
	}
	doc, mode := r.PostFormValue("document"), r.PostFormValue("mode")
	if f, _, err := r.FormFile("file"); err == nil {
		b, err := io.ReadAll(io.LimitReader(f, maxPolicy+1))
		f.Close()
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if len(b) > 0 {
			doc = string(b)
		}
	}
	fail := func(problems ...string) {
		keep := doc
		if len(keep) > 1<<20 {
			keep = "" // too big to send back
		}
		h.renderImport(w, r, http.StatusUnprocessableEntity, keep, mode, problems)
	}
	if strings.TrimSpace(doc) == "" {
		fail("Choose a file or paste a policy.")
		return
	}
	var p Policy
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		fail("The policy is not valid JSON of the exported form: " + err.Error())
		return
	}
	err := h.e.Import(r.Context(), &p, ImportMode(mode), siteResources{h.site})
	var ie *ImportError
	switch {
	case errors.As(err, &ie):
		fail(ie.Problems...)
		return
	case err != nil:
		h.serverError(w, r, err)
		return
	}
	entadmin.AddMessage(w, r, views.LevelSuccess, fmt.Sprintf("The policy was imported (%s): %d groups, %d memberships, %d grants, %d field grants, %d object grants.",
		mode, len(p.Groups), len(p.Memberships), len(p.Grants), len(p.FieldGrants), len(p.ObjectGrants)))
	http.Redirect(w, r, entadmin.Prefix(r)+rbacPath, http.StatusSeeOther)
}
