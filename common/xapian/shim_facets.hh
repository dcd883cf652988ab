/*
 * shim_facets.hh: the facet match spy (shim_facets.cc) as shim_search.cc
 * sees it.  C++ only.
 *
 * One spy counts everything a search's facets need while Xapian's matcher
 * walks the match set: the facet records of slot 3 (people, organisations,
 * places, sources) and the dates of slot 0.  It is one object rather than
 * one per slot because, when copies of a story are collapsed, both must
 * count each story once, which needs one shared record of the stories
 * seen (shim_facets.cc explains the semantics and the costs).
 */
#ifndef ATT_SHIM_FACETS_HH
#define ATT_SHIM_FACETS_HH

#include "shim_internal.hh"

#include <memory>

class AttFacetSpy : public Xapian::MatchSpy {
  public:
    /* `stories`: the search collapses copies of a story (slot
     * ATT_SLOT_DUP), so each story counts once.  `db` must outlive the
     * spy; it is read for the first copy of a story when a second one
     * turns up. */
    AttFacetSpy(const Xapian::Database &db, bool stories);
    ~AttFacetSpy() override;
    AttFacetSpy(const AttFacetSpy &) = delete;
    AttFacetSpy &operator=(const AttFacetSpy &) = delete;

    void operator()(const Xapian::Document &doc, double wt) override;
    std::string name() const override { return "Attache::FacetSpy"; }

    /* The number of matches counted: articles, or stories when the spy
     * counts stories.  Exact when the matcher was told to check every
     * document (check_at_least = the document count). */
    uint64_t matches() const;

    /* Writes the top `top` values per kind and the date histogram in
     * `unit` (ATT_DATE_AUTO: chosen here) into out->facets; throws
     * std::bad_alloc when memory runs out. */
    void collect(size_t top, att_date_unit unit, att_shim_result *out) const;

  private:
    struct State;
    std::unique_ptr<State> s_;
};

#endif
