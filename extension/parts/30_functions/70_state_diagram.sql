-- The state diagram, generated from the transition catalog so the docs cannot drift from it.
-- States are grouped by phase. Where every state of a group has the same edge, the edge is drawn
-- once from (or to) the group; a group whose states may all move to one another says so once.
-- The node each state is drawn as: its phase when the phase has three or more states.
CREATE FUNCTION kyc.state_diagram_nodes(OUT state kyc.state, OUT node text, OUT grouped boolean)
RETURNS SETOF record
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT d.state,
           CASE WHEN n.members OPERATOR(pg_catalog.>=) 3 THEN d.phase ELSE d.state::text END,
           n.members OPERATOR(pg_catalog.>=) 3
    FROM kyc.state_definition d
    JOIN (SELECT s.phase, pg_catalog.count(*) AS members FROM kyc.state_definition s GROUP BY s.phase) n
      ON n.phase OPERATOR(pg_catalog.=) d.phase;
END;
COMMENT ON FUNCTION kyc.state_diagram_nodes() IS 'internal: how kyc.state_diagram() groups states';

-- Whether every state of a drawn group may move to every other state of it.
CREATE FUNCTION kyc.state_diagram_is_mesh(node text) RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0
       AND pg_catalog.count(*) OPERATOR(pg_catalog.=)
           (SELECT pg_catalog.count(*) * (pg_catalog.count(*) - 1) FROM kyc.state_diagram_nodes() m
             WHERE m.node OPERATOR(pg_catalog.=) state_diagram_is_mesh.node)
    FROM kyc.state_transition t
    JOIN kyc.state_diagram_nodes() a ON a.state OPERATOR(pg_catalog.=) t.from_state
    JOIN kyc.state_diagram_nodes() b ON b.state OPERATOR(pg_catalog.=) t.to_state
    WHERE a.node OPERATOR(pg_catalog.=) state_diagram_is_mesh.node
      AND b.node OPERATOR(pg_catalog.=) state_diagram_is_mesh.node;
END;
COMMENT ON FUNCTION kyc.state_diagram_is_mesh(text) IS 'internal: whether a group of kyc.state_diagram() is fully connected';

CREATE FUNCTION kyc.state_diagram(format text DEFAULT 'mermaid') RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    mermaid boolean;
    out     text;
    g       record;
    x       record;
BEGIN
    IF state_diagram.format IS NULL OR state_diagram.format OPERATOR(pg_catalog.<>) ALL (ARRAY['dot', 'mermaid']) THEN
        RAISE EXCEPTION 'invalid value for field "format"'
            USING ERRCODE = 'invalid_parameter_value', HINT = 'Use "dot" or "mermaid".';
    END IF;
    mermaid := state_diagram.format OPERATOR(pg_catalog.=) 'mermaid';

    IF mermaid THEN
        out := E'stateDiagram-v2\n  direction LR\n  [*] --> application_started\n';
    ELSE
        out := E'digraph kyc_state {\n  rankdir=LR; compound=true;\n'
            OPERATOR(pg_catalog.||) E'  node [shape=box, style=rounded, fontname="Helvetica"];\n';
    END IF;

    -- groups and their members
    FOR g IN
        SELECT n.node, pg_catalog.array_agg(n.state ORDER BY n.state) AS members
        FROM kyc.state_diagram_nodes() n WHERE n.grouped GROUP BY n.node ORDER BY pg_catalog.min(n.state)
    LOOP
        IF mermaid THEN
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  state %s {\n', g.node)
                OPERATOR(pg_catalog.||) (SELECT pg_catalog.string_agg(pg_catalog.format('    %s', m), E'\n') FROM pg_catalog.unnest(g.members) m)
                OPERATOR(pg_catalog.||) E'\n  }\n';
            IF kyc.state_diagram_is_mesh(g.node) THEN
                out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  note right of %s : any state here may move to any other\n', g.node);
            END IF;
        ELSE
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  subgraph cluster_%s {\n    label="%s%s";\n', g.node, g.node,
                       CASE WHEN kyc.state_diagram_is_mesh(g.node) THEN ': any state here may move to any other' ELSE '' END)
                OPERATOR(pg_catalog.||) (SELECT pg_catalog.string_agg(pg_catalog.format('    %s;', m), E'\n') FROM pg_catalog.unnest(g.members) m)
                OPERATOR(pg_catalog.||) E'\n  }\n';
        END IF;
    END LOOP;

    -- Edges between drawn nodes. An edge is drawn group-to-group when every member pair has it,
    -- else group-to-state when every member of the source group has it, else state-to-group when
    -- the state reaches every member of the target group, else state-to-state.
    FOR x IN
        WITH edge AS (
            SELECT t.from_state, t.to_state, a.node AS from_node, b.node AS to_node
            FROM kyc.state_transition t
            JOIN kyc.state_diagram_nodes() a ON a.state OPERATOR(pg_catalog.=) t.from_state
            JOIN kyc.state_diagram_nodes() b ON b.state OPERATOR(pg_catalog.=) t.to_state
            WHERE a.node OPERATOR(pg_catalog.<>) b.node
               OR NOT kyc.state_diagram_is_mesh(a.node)
        ), size AS (
            SELECT n.node, pg_catalog.count(*) AS n, pg_catalog.min(n.state) AS rep
            FROM kyc.state_diagram_nodes() n GROUP BY n.node
        ), counted AS (
            SELECT e.*, fs.n AS from_n, ts.n AS to_n, fs.rep AS from_rep, ts.rep AS to_rep,
                   pg_catalog.count(*) OVER (PARTITION BY e.from_node, e.to_node) AS pair_n,
                   pg_catalog.count(*) OVER (PARTITION BY e.from_node, e.to_state) AS into_state_n,
                   pg_catalog.count(*) OVER (PARTITION BY e.from_state, e.to_node) AS from_state_n
            FROM edge e
            JOIN size fs ON fs.node OPERATOR(pg_catalog.=) e.from_node
            JOIN size ts ON ts.node OPERATOR(pg_catalog.=) e.to_node
        ), shaped AS (
            SELECT c.*,
                   CASE WHEN c.pair_n OPERATOR(pg_catalog.=) c.from_n * c.to_n AND c.from_n OPERATOR(pg_catalog.>) 1
                             AND c.to_n OPERATOR(pg_catalog.>) 1 THEN 'group_group'
                        WHEN c.from_n OPERATOR(pg_catalog.>) 1 AND c.into_state_n OPERATOR(pg_catalog.=) c.from_n THEN 'group_state'
                        WHEN c.to_n OPERATOR(pg_catalog.>) 1 AND c.from_state_n OPERATOR(pg_catalog.=) c.to_n THEN 'state_group'
                        ELSE 'state_state' END AS shape
            FROM counted c
        )
        SELECT s.* FROM shaped s
        WHERE CASE s.shape
                  WHEN 'group_group' THEN s.from_state OPERATOR(pg_catalog.=) s.from_rep AND s.to_state OPERATOR(pg_catalog.=) s.to_rep
                  WHEN 'group_state' THEN s.from_state OPERATOR(pg_catalog.=) s.from_rep
                  WHEN 'state_group' THEN s.to_state OPERATOR(pg_catalog.=) s.to_rep
                  ELSE true END
        ORDER BY s.from_state, s.to_state
    LOOP
        IF mermaid THEN
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  %s --> %s\n',
                       CASE WHEN x.shape OPERATOR(pg_catalog.~) '^group' THEN x.from_node ELSE x.from_state::text END,
                       CASE WHEN x.shape OPERATOR(pg_catalog.~) 'group$' THEN x.to_node ELSE x.to_state::text END);
        ELSE
            out := out OPERATOR(pg_catalog.||) pg_catalog.format(E'  %s -> %s%s;\n', x.from_state, x.to_state,
                       CASE WHEN x.shape OPERATOR(pg_catalog.<>) 'state_state' THEN
                           pg_catalog.format(' [%s]', pg_catalog.concat_ws(', ',
                               CASE WHEN x.shape OPERATOR(pg_catalog.~) '^group' THEN pg_catalog.format('ltail=cluster_%s', x.from_node) END,
                               CASE WHEN x.shape OPERATOR(pg_catalog.~) 'group$' THEN pg_catalog.format('lhead=cluster_%s', x.to_node) END))
                       ELSE '' END);
        END IF;
    END LOOP;

    IF mermaid THEN
        out := out OPERATOR(pg_catalog.||) (SELECT pg_catalog.string_agg(pg_catalog.format('  %s --> [*]', d.state), E'\n' ORDER BY d.state)
                                            FROM kyc.state_definition d WHERE d.phase OPERATOR(pg_catalog.=) 'terminal') OPERATOR(pg_catalog.||) E'\n';
    ELSE
        out := out OPERATOR(pg_catalog.||) E'}\n';
    END IF;
    RETURN out;
END
$fn$;
COMMENT ON FUNCTION kyc.state_diagram(text) IS
    'the state machine as Mermaid (default) or Graphviz DOT, generated from kyc.state_transition, states grouped by phase';

-- Allowed next states of an application, for user interfaces.
CREATE FUNCTION kyc.next_states(app uuid) RETURNS SETOF kyc.state
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    -- the state as the caller may read it: none from a state it may not read (AML review)
    SELECT t.to_state
    FROM kyc.application_status a
    JOIN kyc.state_transition t ON t.from_state OPERATOR(pg_catalog.=) a.state
    WHERE a.id OPERATOR(pg_catalog.=) next_states.app
    ORDER BY t.to_state;
END;
COMMENT ON FUNCTION kyc.next_states(uuid) IS
    'states the application may move to next according to kyc.state_transition (gate prerequisites still apply)';
