//! Type-erased views without Leptos 0.8's asynchronous hydration path.
//!
//! `AnyView` (what `into_any()` makes) keeps a pointer to `hydrate_async` for every type it
//! erases, so the asynchronous twin of each erased view's hydration is compiled into the bundle
//! whether or not anything calls it (leptos-rs/leptos#4852; 0.9 drops the pointer). Nothing in
//! the portal does: the router awaits a lazy route's code and then hydrates the page
//! synchronously, and a page has no lazy parts of its own. [`IntoAnySync::into_any_sync`] erases
//! a view behind [`SyncHydrated`], whose `hydrate_async` stops at once, so only that small
//! wrapper is compiled. docs/architecture.md has what it saved.

use leptos::children::{ChildrenOptContainer, ToChildren};
use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::ssr::StreamBuilder;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Position, PositionState, Render, RenderHtml};

/// `into_any()` for the portal's views: the same `AnyView`, without the asynchronous
/// hydration path compiled in.
pub trait IntoAnySync {
    fn into_any_sync(self) -> AnyView;
}

impl<V: RenderHtml> IntoAnySync for V {
    fn into_any_sync(self) -> AnyView {
        SyncHydrated(self).into_any()
    }
}

/// A view that renders, builds and hydrates exactly as the view it holds, and is never hydrated
/// asynchronously.
pub struct SyncHydrated<V>(V);

impl<V: Render> Render for SyncHydrated<V> {
    type State = V::State;

    fn build(self) -> Self::State {
        self.0.build()
    }

    fn rebuild(self, state: &mut Self::State) {
        self.0.rebuild(state)
    }
}

impl<V: AddAnyAttr> AddAnyAttr for SyncHydrated<V> {
    type Output<SomeNewAttr: Attribute> = SyncHydrated<V::Output<SomeNewAttr>>;

    fn add_any_attr<NewAttr: Attribute>(self, attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        SyncHydrated(self.0.add_any_attr(attr))
    }
}

impl<V: RenderHtml> RenderHtml for SyncHydrated<V> {
    type AsyncOutput = V::AsyncOutput;
    type Owned = SyncHydrated<V::Owned>;

    const MIN_LENGTH: usize = V::MIN_LENGTH;
    const EXISTS: bool = V::EXISTS;

    fn dry_resolve(&mut self) {
        self.0.dry_resolve()
    }

    async fn resolve(self) -> Self::AsyncOutput {
        self.0.resolve().await
    }

    fn html_len(&self) -> usize {
        self.0.html_len()
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_with_buf(buf, position, escape, mark_branches, extra_attrs)
    }

    fn to_html_async_with_buf<const OUT_OF_ORDER: bool>(
        self,
        buf: &mut StreamBuilder,
        position: &mut Position,
        escape: bool,
        mark_branches: bool,
        extra_attrs: Vec<AnyAttribute>,
    ) {
        self.0.to_html_async_with_buf::<OUT_OF_ORDER>(buf, position, escape, mark_branches, extra_attrs)
    }

    fn hydrate<const FROM_SERVER: bool>(self, cursor: &Cursor, position: &PositionState) -> Self::State {
        self.0.hydrate::<FROM_SERVER>(cursor, position)
    }

    /// Never called (see the module's note): the router hydrates a page synchronously once its
    /// code is there. Stopping here, rather than hydrating synchronously as the trait's default
    /// does, lets the compiler drop the rest of `AnyView`'s asynchronous wrapper for each view.
    async fn hydrate_async(self, _cursor: &Cursor, _position: &PositionState) -> Self::State {
        unreachable!("portal views are hydrated synchronously")
    }

    fn into_owned(self) -> Self::Owned {
        SyncHydrated(self.0.into_owned())
    }
}

/// `Children` for the portal's own components: what the component is given is erased with
/// [`IntoAnySync::into_any_sync`] instead of `into_any()`. Draw them with `children.view()`.
pub struct SyncChildren(Box<dyn FnOnce() -> AnyView + Send>);

impl SyncChildren {
    pub fn view(self) -> AnyView {
        (self.0)()
    }
}

impl<F, C> ToChildren<F> for SyncChildren
where
    F: FnOnce() -> C + Send + 'static,
    C: RenderHtml + Send + 'static,
{
    fn to_children(f: F) -> Self {
        SyncChildren(Box::new(move || f().into_any_sync()))
    }
}

/// Children that are a constant (text, say), which the `view!` macro passes without a closure.
impl<T> ToChildren<ChildrenOptContainer<T>> for SyncChildren
where
    T: RenderHtml + Send + 'static,
{
    fn to_children(children: ChildrenOptContainer<T>) -> Self {
        SyncChildren(Box::new(move || children.0.into_any_sync()))
    }
}
