package entadmin

import "context"

// ResourceInfo describes a registered resource to code outside its pages,
// such as the RBAC pages and the validation of grants.
type ResourceInfo struct {
	Slug, Label, LabelPlural string
	// Fields are the names of the resource's fields and unique edges.
	Fields []string
	// ParseID parses an id as it appears in URLs; an error means no object
	// can have it.
	ParseID func(id string) (any, error)
	// Exists reports whether the object with the id exists, within the row
	// scope of the admin user in ctx, if any.
	Exists func(ctx context.Context, id string) (bool, error)
	// Permissions names the permissions of the resource's bulk actions and
	// endpoints beside view, add, change and delete, e.g. "activate".
	Permissions []string
}

// Resources describes the site's resources, in the order they were
// registered.
func (s *Site) Resources() []ResourceInfo {
	infos := make([]ResourceInfo, len(s.resources))
	for i, r := range s.resources {
		infos[i] = r.info()
	}
	return infos
}

// Resource describes the resource with the slug.
func (s *Site) Resource(slug string) (ResourceInfo, bool) {
	r, ok := s.bySlug[slug]
	if !ok {
		return ResourceInfo{}, false
	}
	return r.info(), true
}

// info describes the resource.
func (r *Resource[T]) info() ResourceInfo {
	fields := make([]string, len(r.Fields))
	for i, f := range r.Fields {
		fields[i] = f.Name
	}
	return ResourceInfo{
		Slug: r.Slug, Label: r.Label, LabelPlural: r.LabelPlural,
		Fields:      fields,
		ParseID:     r.ParseID,
		Permissions: r.permissions(),
		Exists: func(ctx context.Context, id string) (bool, error) {
			if _, err := r.ParseID(id); err != nil {
				return false, nil
			}
			_, err := r.Get(ctx, id)
			switch {
			case err == nil:
				return true, nil
			case r.IsNotFound(err):
				return false, nil
			}
			return false, err
		},
	}
}
