<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" /><title>
	人事信息
</title><link href="css/main.css" rel="stylesheet" type="text/css" /></head>
<body>
<form name="form1" method="post" action="./NewsList.aspx?typeid=3" id="form1">
<div>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgICAw9kFgQCAQ88KwANAQAPFgQeC18hRGF0YUJvdW5kZx4LXyFJdGVtQ291bnQCBWRkGAEFCUdyaWRWaWV3MQ88KwAKAQgCAWQ=" />
</div>
<script type="text/javascript">
//<![CDATA[
var theForm = document.forms['form1'];
function __doPostBack(eventTarget, eventArgument) {
    if (!theForm.onsubmit || (theForm.onsubmit() != false)) {
        theForm.__EVENTTARGET.value = eventTarget;
        theForm.__EVENTARGUMENT.value = eventArgument;
        theForm.submit();
    }
}
//]]>
</script>
<div class="top"><img src="images/top.jpg" alt="北方城市职业学院人事处" /></div>
<div class="menu"><a href="Default.aspx">首页</a><a href="NewsList.aspx?typeid=1">机构概况</a><a href="NewsList.aspx?typeid=2">政策法规</a><a href="NewsList.aspx?typeid=3">人事信息</a><a href="NewsList.aspx?typeid=4">招聘信息</a><a href="Download.aspx">下载中心</a></div>
<div class="main">
<div class="left"><div class="left-title">人事处</div><ul><li><a href="NewsList.aspx?typeid=2">政策法规</a></li><li><a href="NewsList.aspx?typeid=3">人事信息</a></li><li><a href="NewsList.aspx?typeid=4">招聘信息</a></li></ul></div>
<div class="right">
<div class="right-title"><span id="lblTypeName">人事信息</span></div>
<div>
	<table class="news-grid" cellspacing="0" rules="all" border="1" id="GridView1" style="width:100%;border-collapse:collapse;">
		<tr class="head">
			<th scope="col">序号</th><th scope="col">标题</th><th scope="col">发布部门</th><th scope="col">发布时间</th>
		</tr>
<tr class="row">
<td align="center">1</td><td><a href="javascript:void(0)" onclick="window.open('NewsShow.aspx?id=2051&amp;typeid=3','_blank')" title="关于2026年下半年教职工岗位聘用工作的通知">关于2026年下半年教职工岗位聘用工作的通知</a></td><td align="center">人事处</td><td align="center">2026/7/13 10:22:31</td>
</tr>
<tr class="alt">
<td align="center">2</td><td><a href="javascript:void(0)" onclick="window.open('NewsShow.aspx?id=2047&amp;typeid=3','_blank')" title="人事处关于做好2026年新进教职工报到工作的通知">人事处关于做好2026年新进教职工报到工作的通知</a></td><td align="center">人事处</td><td align="center">2026/7/6 15:03:12</td>
</tr>
<tr class="row">
<td align="center">3</td><td><a href="javascript:void(0)" onclick="window.open('NewsShow.aspx?id=2040&amp;typeid=3','_blank')" title="北方城市职业学院2026年公开招聘工作人员面试成绩公示">北方城市职业学院2026年公开招聘工作人员面试成绩公示</a></td><td align="center">人事处</td><td align="center">2026/6/29 9:45:00</td>
</tr>
<tr class="alt">
<td align="center">4</td><td><a href="javascript:void(0)" onclick="window.open('NewsShow.aspx?id=2036&amp;typeid=3','_blank')" title="关于开展2026年度专业技术职务任职资格评审工作的通知">关于开展2026年度专业技术职务任职资格评审工作的通知</a></td><td align="center">人事处</td><td align="center">2026/6/18 16:30:27</td>
</tr>
<tr class="row">
<td align="center">5</td><td><a href="javascript:void(0)" onclick="window.open('NewsShow.aspx?id=2031&amp;typeid=3','_blank')" title="北方城市职业学院2026年公开招聘工作人员笔试公告">北方城市职业学院2026年公开招聘工作人员笔试公告</a></td><td align="center">人事处</td><td align="center">2026/6/3 8:00:00</td>
</tr>
	</table>
</div>
<div id="AspNetPager1" class="paginator">
共 42 条记录 <a disabled="disabled" style="margin-right:5px;">首页</a><a disabled="disabled" style="margin-right:5px;">上一页</a><span class="cpb" style="margin-right:5px;">1</span><a href="NewsList.aspx?typeid=3&amp;page=2" style="margin-right:5px;">2</a><a href="NewsList.aspx?typeid=3&amp;page=3" style="margin-right:5px;">3</a><a href="NewsList.aspx?typeid=3&amp;page=2" style="margin-right:5px;">下一页</a><a href="NewsList.aspx?typeid=3&amp;page=9" style="margin-right:5px;">尾页</a>
</div>
</div>
</div>
<div class="foot">北方城市职业学院人事处 版权所有</div>
</form>
</body>
</html>
