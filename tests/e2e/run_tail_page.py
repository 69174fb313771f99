"""A page that meets, on purpose, the window server/runwait.py closes (tests/e2e/test_run_tail.py).

Every run after the first holds the server's event loop for a second (as a busy server would) and, while it is held,
asks for a rerun of the page's fragment (as a fragment's timer would); the run meanwhile writes its last lines and
ends. Streamlit 1.67 alone then starts the fragment's run before the loop has sent those lines, and drops them.
Served with ``streamlit run``; imports ``server`` as app.py does, which installs the fix.
"""

import time

import streamlit as st
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

import server  # noqa: F401  (as app.py: installs server/runwait.py)

st.session_state.setdefault("runs", 0)
st.session_state.runs += 1
run = st.session_state.runs


@st.fragment
def ticker() -> None:
    st.session_state.fragment = ThreadState.get().fragment_id
    st.caption("The fragment ran.")


ticker()
st.button("Run again")
st.markdown(f"Head of run {run}")
if run > 1:
    ctx = get_script_run_ctx()
    session = Runtime.instance().get_app_session(ctx.session_id)
    tick = ClientState()
    tick.CopyFrom(session._client_state)
    tick.fragment_id, tick.is_auto_rerun = st.session_state.fragment, True
    session._event_loop.call_soon_threadsafe(time.sleep, 1.0)  # the loop falls behind this run...
    session._event_loop.call_soon_threadsafe(session.request_rerun, tick)  # ...and the fragment's timer fires
for line in range(3):
    st.markdown(f"Line {line} of run {run}")
