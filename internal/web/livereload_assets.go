package web

import (
	"net/http"
	"strconv"
)

// The live-reload script and style live here, not in the theme: they exist only
// on a server started with --watch, and never in a published build. Both are
// files of this origin, so the Content-Security-Policy stays as strict as ever:
// no inline script, no inline style.

// liveReloadJS reloads the page when the build it came from is replaced, and
// shows the problems of a change that did not build. It reads the build id
// from its own script tag.
const liveReloadJS = `// northstar serve --watch: reload on rebuild, show build problems.
(function () {
  "use strict";
  var script = document.currentScript;
  var build = script ? script.getAttribute("data-build") : "";
  var source = new EventSource("` + liveEvents + `");
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (state.build !== build) {
      source.close();
      window.location.reload();
      return;
    }
    show(state.problems || []);
  };
  function show(problems) {
    var box = document.getElementById("` + liveProblems + `");
    if (problems.length === 0) {
      if (box) {
        box.parentNode.removeChild(box);
      }
      return;
    }
    if (!box) {
      box = document.createElement("div");
      box.id = "` + liveProblems + `";
      box.className = "` + liveProblems + `";
      box.setAttribute("role", "alert");
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = "";
    var p = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = "` + problemsTitle + `";
    p.appendChild(strong);
    p.appendChild(document.createTextNode(" ` + problemsHelp + `"));
    var pre = document.createElement("pre");
    pre.textContent = problems.join("\n");
    box.appendChild(p);
    box.appendChild(pre);
  }
})();
`

// liveReloadCSS keeps the problems box in view at the bottom of the window,
// under the quick exit (z-index 1000), which stays reachable.
const liveReloadCSS = `.` + liveProblems + ` {
  position: fixed; left: 0; right: 0; bottom: 0; z-index: 999;
  max-height: 50vh; overflow: auto; margin: 0; padding: 0.75rem 1rem;
  background: #fff; color: #1b1b1b; border-top: 4px solid #a4001d;
  box-shadow: 0 -2px 8px rgba(0, 0, 0, 0.3); font: 1rem/1.4 system-ui, sans-serif;
}
.` + liveProblems + ` p { margin: 0 0 0.5rem; }
.` + liveProblems + ` pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font: 0.9rem/1.4 ui-monospace, monospace; }
`

func serveLiveAsset(ctype, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if r.Method != http.MethodHead {
			_, _ = w.Write([]byte(body))
		}
	}
}
