// One import per file (not @import in CSS), so each file is minified on its way into the bundle.
import './base.css';
import './openbis.css';
import './transfers.css';
import './panels.css';
import './upload.css';
import './reana.css';
import './provenance.css';
import './combobox.css';
import './ansi.css';
