"""Research page components: none of its own. The view (policylens.views.research) is drawn by components.view;
this module stays so ``components.pages`` can import every page's component module alike."""
